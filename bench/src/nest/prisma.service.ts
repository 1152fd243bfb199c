import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { adapter, PrismaClient } from '../baselines/prisma.js';

/** The Prisma docs' NestJS PrismaService, extending the generated service's own client. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor() {
    super({ adapter: adapter() });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
