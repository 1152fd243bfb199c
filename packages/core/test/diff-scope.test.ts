import { describe, expect, it } from 'vitest';
import { scopeForDiff } from '../src/diff-scope.js';
import { migrationSql } from '../src/migration.js';
import { prismaCliDiff } from './helpers.js';

const HEAD = `// A comment Prisma ignores.

generator client {
  provider = "prisma-client"
  output   = "../src/generated/prisma"
}

datasource db {
  provider = "postgresql"
}
`;

const model = (name: string, table: string, extra = '') => `
model ${name} {
  id        String   @id @default(uuid(7)) @db.Uuid
  title     String   @db.VarChar(200)
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(3)
${extra}
  @@index([createdAt, id])
  @@map("${table}")
}
`;

const STATUS = `
enum Status {
  draft
  live
}
`;

// Folder ← Note → Tag; Category and Product stand for the models a change never concerns.
const folder = (extra = '') => model('Folder', 'folders', `  notes     Note[]\n${extra}`);
const tag = (extra = '') => model('Tag', 'tags', `  notes     Note[]\n${extra}`);
const note = (extra = '') =>
  model(
    'Note',
    'notes',
    `  folderId  String?  @map("folder_id") @db.Uuid
  folder    Folder?  @relation(fields: [folderId], references: [id], onDelete: Restrict)
  tagId     String   @map("tag_id") @db.Uuid
  tag       Tag      @relation(fields: [tagId], references: [id], onDelete: Restrict)
${extra}`,
  );
const category = model('Category', 'categories', '  products  Product[]\n');
const product = model(
  'Product',
  'products',
  `  categoryId String? @map("category_id") @db.Uuid
  category   Category? @relation(fields: [categoryId], references: [id], onDelete: Restrict)
`,
);
const base = [HEAD, STATUS, category, product, folder(), tag(), note()].join('');

// Each pair is a change a generator makes: the SQL from the scoped schemas must be Prisma's own.
const CHANGES: readonly (readonly [string, string, string])[] = [
  [
    'a new model that refers to a model with relations of its own',
    base,
    [
      HEAD,
      STATUS,
      category,
      product,
      folder('  memos     Memo[]\n'),
      tag(),
      note(),
      model(
        'Memo',
        'memos',
        `  status    Status   @default(draft)
  folderId  String   @map("folder_id") @db.Uuid
  folder    Folder   @relation(fields: [folderId], references: [id], onDelete: Restrict)
`,
      ),
    ].join(''),
  ],
  [
    'a changed model that others refer to',
    base,
    [HEAD, STATUS, category, product, folder('  slug      String   @unique\n'), tag(), note()].join(
      '',
    ),
  ],
  [
    'a model dropped with the relations to it',
    base,
    [
      HEAD,
      STATUS,
      category,
      product,
      tag(),
      model(
        'Note',
        'notes',
        `  tagId     String   @map("tag_id") @db.Uuid
  tag       Tag      @relation(fields: [tagId], references: [id], onDelete: Restrict)
`,
      ),
    ].join(''),
  ],
  [
    'an enum that gains a value',
    base,
    base.replace('  live\n', '  live\n  archived\n') +
      model('Audit', 'audits', '  status Status\n'),
  ],
];

describe('scopeForDiff: what Prisma reads of two schemas for a migration', () => {
  it.each(CHANGES)(
    "gives the SQL Prisma's CLI writes from the whole schemas: %s",
    async (_, before, after) => {
      const scoped = scopeForDiff(before, after);
      const [sql, whole] = await Promise.all([
        migrationSql(before, after),
        prismaCliDiff(before, after),
      ]);
      expect(sql).toMatch(/^(CREATE|ALTER|DROP) /m);
      expect(sql).toBe(whole);
      // Category and Product are unrelated to every change here: Prisma never sees them.
      expect(scoped.after).not.toContain('model Product');
      expect(scoped.before).not.toContain('model Category');
    },
  );

  it('keeps a model related to a changed one, without its relations to models left out', () => {
    const [, before, after] = CHANGES[0] ?? [];
    const scoped = scopeForDiff(before ?? '', after ?? '');
    // Folder changed (a back-relation); Note is kept for Folder and loses only its Tag relation.
    expect(scoped.after).toContain('model Note {');
    expect(scoped.after).not.toContain('  tag       Tag');
    expect(scoped.after).toContain('  tagId     String');
    expect(scoped.after).not.toContain('model Tag {');
  });

  it('keeps both schemas whole when they hold what it does not handle', () => {
    for (const extra of [
      '\nview Totals {\n  id String @unique\n}\n',
      '\ntype Address {\n  street String\n}\n',
      '\nmodel Multi {\n  id String @id\n  @@schema("other")\n}\n',
      '\nconst stray = 1\n',
    ]) {
      const after = base + model('Memo', 'memos') + extra;
      expect(scopeForDiff(base, after)).toEqual({ before: base, after });
    }
  });
});
