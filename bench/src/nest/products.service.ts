import { Injectable } from '@nestjs/common';
import { createInput, listPage } from '../baselines/prisma.js';
import { PrismaService } from './prisma.service.js';

/** As `nest g resource products` users fill it in: Prisma calls, records returned as they are. */
@Injectable()
export class ProductsService {
  constructor(private readonly prisma: PrismaService) {}

  create(body: unknown) {
    const data = createInput(body);
    return data === null ? null : this.prisma.product.create({ data });
  }

  findAll(limit: number) {
    return listPage(this.prisma, limit);
  }

  findOne(id: string) {
    return this.prisma.product.findUnique({ where: { id } });
  }
}
