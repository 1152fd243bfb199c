/**
 * NestJS 11 and Prisma 7 as `nest new` + `nest g resource` users write them: a products controller
 * and service, a PrismaService over the generated service's own client, a notes GET behind a
 * guard. NEST_PLATFORM=fastify runs it on @nestjs/platform-fastify, otherwise on
 * @nestjs/platform-express (Nest's default). No ValidationPipe, no interceptors, no logger
 * middleware: only what the requests measured need.
 */
import 'reflect-metadata';
import { Controller, Get, Module, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { env } from '../baselines/prisma.js';
import { JwtGuard, NotesController, NotesService } from './notes.js';
import { PrismaService } from './prisma.service.js';
import { ProductsController } from './products.controller.js';
import { ProductsService } from './products.service.js';

@Controller('health')
class HealthController {
  @Get('ready')
  ready() {
    return { status: 'ok' };
  }
}

// Nest modules are empty classes carrying their metadata in the decorator.
@Module({
  controllers: [HealthController, ProductsController, NotesController],
  providers: [PrismaService, ProductsService, NotesService, JwtGuard],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class
class AppModule {}

/**
 * Warnings and errors only, as the generated services log in production (Nest's default would add
 * start-up lines only; it logs nothing per request either way).
 */
// Nest types its options as a class; a plain object is how its docs pass them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
const options: NestApplicationOptions = { logger: ['error', 'warn'] };
const app =
  process.env.NEST_PLATFORM === 'fastify'
    ? await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), options)
    : await NestFactory.create(AppModule, options);
app.enableShutdownHooks();
await app.listen(env.port, '127.0.0.1');
