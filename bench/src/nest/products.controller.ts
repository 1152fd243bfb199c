import {
  BadRequestException,
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import { ProductsService } from './products.service.js';

@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly productsService: ProductsService) {}

  @Post()
  async create(@Body() body: unknown) {
    const created = await this.productsService.create(body);
    if (created === null) throw new BadRequestException();
    return created;
  }

  @Get()
  findAll(@Query('limit') limit?: string) {
    return this.productsService.findAll(limit === undefined ? 20 : Number(limit));
  }

  @Get(':id')
  async findOne(@Param('id') id: string) {
    const product = await this.productsService.findOne(id);
    if (product === null) throw new NotFoundException();
    return product;
  }
}
