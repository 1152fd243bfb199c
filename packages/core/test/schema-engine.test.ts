import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GenError } from '../src/errors.js';
import { migrationSql } from '../src/migration.js';
import { diffSchemas, schemaEngineVersion } from '../src/schema-engine.js';
import { prismaCliDiff } from './helpers.js';

const DATASOURCE = `generator client {
  provider = "prisma-client"
  output   = "../src/generated/prisma"
}

datasource db {
  provider = "postgresql"
}
`;

const SHOP = `${DATASOURCE}
enum Status {
  draft
  live
}

model Category {
  id       Int       @id @default(autoincrement())
  name     String    @unique @db.VarChar(80)
  parentId Int?      @map("parent_id")
  parent   Category? @relation("tree", fields: [parentId], references: [id], onDelete: SetNull)
  children Category[] @relation("tree")
  products Product[]

  @@map("categories")
}

model Product {
  id         String   @id @default(uuid(7)) @db.Uuid
  sku        String   @db.Char(12)
  title      String   @db.VarChar(200)
  price      Decimal  @db.Decimal(10, 2)
  status     Status   @default(draft)
  tags       String[]
  meta       Json?
  image      Bytes?
  views      BigInt   @default(0)
  categoryId Int      @map("category_id")
  category   Category @relation(fields: [categoryId], references: [id], onDelete: Restrict)
  createdAt  DateTime @default(now()) @map("created_at") @db.Timestamptz(3)
  updatedAt  DateTime @updatedAt @map("updated_at")

  @@unique([categoryId, sku])
  @@index([createdAt(sort: Desc), id])
  @@map("products")
}
`;

/** Pairs of schemas Prisma's CLI and the in-process engine must turn into the same SQL. */
const CHANGES: [string, string, string][] = [
  ['from nothing to enums, relations, natives, arrays, indexes', DATASOURCE, SHOP],
  [
    'a model dropped',
    SHOP,
    SHOP.replace(/model Product \{[^}]*\}\n/, '').replace('  products Product[]\n', ''),
  ],
  [
    'a column retyped, one added with a default, one dropped',
    SHOP,
    SHOP.replace('@db.VarChar(200)', '@db.Text').replace(
      '  views      BigInt   @default(0)\n',
      '  stock      Int      @default(1)\n',
    ),
  ],
  [
    'an enum value added and one removed',
    SHOP,
    SHOP.replace('  live\n', '  published\n  archived\n'),
  ],
  ['no change at all', SHOP, SHOP],
];

describe("Prisma's schema engine, in this process", () => {
  it.each(CHANGES)('writes the SQL `prisma migrate diff` writes: %s', async (_, before, after) => {
    const [sql, cli] = await Promise.all([
      diffSchemas(before, after),
      prismaCliDiff(before, after),
    ]);
    expect(sql).toBe(cli);
  });

  it('needs no native engine, download or database (it works offline, before any install)', async () => {
    const saved = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
    process.env.PRISMA_SCHEMA_ENGINE_BINARY = '/nonexistent/schema-engine';
    try {
      await expect(migrationSql(DATASOURCE, SHOP)).resolves.toContain('CREATE TABLE "products"');
    } finally {
      if (saved === undefined) delete process.env.PRISMA_SCHEMA_ENGINE_BINARY;
      else process.env.PRISMA_SCHEMA_ENGINE_BINARY = saved;
    }
  });

  it('writes real DDL, not an empty answer', async () => {
    const sql = await diffSchemas(DATASOURCE, SHOP);
    expect(sql).toContain('CREATE TYPE "Status" AS ENUM');
    expect(sql).toContain('CREATE TABLE "products"');
    expect(sql).toContain('"price" DECIMAL(10,2) NOT NULL');
    expect(sql).toContain('FOREIGN KEY ("category_id") REFERENCES "categories"("id")');
  });

  it("reports a schema Prisma refuses as a generator error with Prisma's reason", async () => {
    const broken = `${DATASOURCE}\nmodel Thing {\n  id String @id\n  size Sizes\n}\n`;
    const failure = diffSchemas(DATASOURCE, broken);
    await expect(failure).rejects.toBeInstanceOf(GenError);
    await expect(failure).rejects.toThrow(/prisma migrate diff failed: [\s\S]*Sizes/);
  });

  it('is the engine build of the installed prisma package (bump both together)', () => {
    const fromPrisma = createRequire(createRequire(import.meta.url).resolve('prisma/package.json'));
    const fromEngines = createRequire(fromPrisma.resolve('@prisma/engines/package.json'));
    const { enginesVersion } = fromEngines('@prisma/engines-version') as { enginesVersion: string };
    const glue = createRequire(import.meta.url).resolve(
      '@prisma/schema-engine-wasm/schema_engine_bg',
    );
    const wasmPackage = JSON.parse(
      readFileSync(path.join(path.dirname(glue), 'package.json'), 'utf8'),
    ) as { version: string };

    expect(schemaEngineVersion()).toBe(enginesVersion);
    expect(wasmPackage.version.endsWith(`.${enginesVersion}`)).toBe(true);
  });
});
