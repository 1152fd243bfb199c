import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  editTypeScript,
  ensureModelField,
  ensureNamedImports,
  ensureObjectProperties,
  hasVariable,
  ensureSchemaBlocks,
  enumValues,
  ensureStatement,
  listModels,
  Tree,
} from '../src/index.js';
import { tempProject } from './helpers.js';

const SCHEMA = `generator client {
  provider = "prisma-client"
  output   = "../src/generated/prisma"
}

datasource db {
  provider = "postgresql"
}
`;

const CATEGORY = {
  kind: 'model',
  name: 'Category',
  source: 'model Category {\n  id String @id @default(uuid())\n  name String @unique\n}',
} as const;

describe('ensureSchemaBlocks', () => {
  it('adds a model once, however often it runs', async () => {
    const tree = new Tree(await tempProject({ 'prisma/schema.prisma': SCHEMA }));
    await ensureSchemaBlocks(tree, 'prisma/schema.prisma', [CATEGORY]);
    const once = tree.read('prisma/schema.prisma');
    await ensureSchemaBlocks(tree, 'prisma/schema.prisma', [CATEGORY]);
    expect(tree.read('prisma/schema.prisma')).toBe(once);
    expect(once).toMatch(
      /model Category \{\n\s+id\s+String @id @default\(uuid\(\)\)\n\s+name\s+String @unique\n\}/,
    );
    expect(await listModels(tree, 'prisma/schema.prisma')).toEqual(['Category']);
  });

  it('refuses to replace a different model of the same name unless forced', async () => {
    const tree = new Tree(await tempProject({ 'prisma/schema.prisma': SCHEMA }));
    await ensureSchemaBlocks(tree, 'prisma/schema.prisma', [CATEGORY]);
    const other = { ...CATEGORY, source: 'model Category {\n  id Int @id\n}' };
    await expect(ensureSchemaBlocks(tree, 'prisma/schema.prisma', [other])).rejects.toThrow(
      ConflictError,
    );
    await ensureSchemaBlocks(tree, 'prisma/schema.prisma', [other], { force: true });
    expect(tree.read('prisma/schema.prisma')).toMatch(/id\s+Int @id/);
  });
});

describe('editTypeScript', () => {
  const APP = `import express from 'express';

export function buildApp() {
  const api = express.Router();
  api.use('/a', aRoutes);
  return api;
}
`;

  it('adds an import and a registration after the last one, idempotently', async () => {
    const tree = new Tree(await tempProject({ 'src/app.ts': APP }));
    const edit = () =>
      editTypeScript(tree, 'src/app.ts', (file) => {
        ensureNamedImports(file, { moduleSpecifier: './b.js', namedImports: ['bRoutes'] });
        ensureStatement(file, {
          functionName: 'buildApp',
          statement: "api.use('/b', bRoutes);",
          anchor: (statement) => statement.getText().startsWith('api.use('),
          anchorDescription: 'api.use(...)',
        });
      });
    await edit();
    const once = tree.read('src/app.ts');
    await edit();
    expect(tree.read('src/app.ts')).toBe(once);
    expect(once).toContain("import { bRoutes } from './b.js';");
    expect(once).toMatch(
      /api\.use\('\/a', aRoutes\);\n\s+api\.use\('\/b', bRoutes\);\n\s+return api;/,
    );
  });

  it('treats a registration reformatted by hand as already present', async () => {
    const tree = new Tree(
      await tempProject({
        'src/app.ts': APP.replace(
          "api.use('/a', aRoutes);",
          'api.use(\n    "/a",\n    aRoutes\n  )',
        ),
      }),
    );
    await editTypeScript(tree, 'src/app.ts', (file) => {
      ensureStatement(file, {
        functionName: 'buildApp',
        statement: "api.use('/a', aRoutes);",
        anchor: () => true,
        anchorDescription: 'x',
      });
    });
    expect(tree.changes()).toEqual([]);
  });

  it('explains what to add by hand when the anchor is gone', async () => {
    const tree = new Tree(
      await tempProject({ 'src/app.ts': 'export function buildApp() {\n  return 1;\n}\n' }),
    );
    await expect(
      editTypeScript(tree, 'src/app.ts', (file) => {
        ensureStatement(file, {
          functionName: 'buildApp',
          statement: 'api.use(x);',
          anchor: (s) => s.getText().startsWith('api.use'),
          anchorDescription: 'api.use(...)',
        });
      }),
    ).rejects.toThrow(/add this line by hand: api\.use\(x\);/);
  });
});

describe('ensureModelField', () => {
  it('adds a back-relation to an existing model once', async () => {
    const tree = new Tree(await tempProject({ 'prisma/schema.prisma': SCHEMA }));
    await ensureSchemaBlocks(tree, 'prisma/schema.prisma', [CATEGORY]);
    await ensureModelField(tree, 'prisma/schema.prisma', {
      model: 'Category',
      name: 'products',
      type: 'Product[]',
    });
    const once = tree.read('prisma/schema.prisma');
    await ensureModelField(tree, 'prisma/schema.prisma', {
      model: 'Category',
      name: 'products',
      type: 'Product[]',
    });
    expect(tree.read('prisma/schema.prisma')).toBe(once);
    expect(once).toMatch(/name\s+String\s+@unique\n\s+products\s+Product\[\]\n\}/);
    expect(once?.startsWith('generator client {')).toBe(true);
    await expect(
      ensureModelField(tree, 'prisma/schema.prisma', {
        model: 'Category',
        name: 'products',
        type: 'String',
      }),
    ).rejects.toThrow(/another type/);
    await expect(
      ensureModelField(tree, 'prisma/schema.prisma', { model: 'Nope', name: 'x', type: 'String' }),
    ).rejects.toThrow(/no model Nope/);
  });
});

describe('ensureObjectProperties', () => {
  const source = `import { z } from 'zod';

const schema = z.object({
  PORT: z.number(),
});

export const DEFAULTS: Record<string, string> = {};
`;

  it('adds missing properties to z.object({ … }) and to a plain object, once', async () => {
    const tree = new Tree(await tempProject({ 'config.ts': source }));
    const edit = () =>
      editTypeScript(tree, 'config.ts', (file) => {
        ensureObjectProperties(file, {
          variable: 'schema',
          properties: [
            { name: 'PORT', initializer: 'z.string()' },
            { name: 'SECRET', initializer: 'z.string().min(32)' },
          ],
        });
        ensureObjectProperties(file, {
          variable: 'DEFAULTS',
          properties: [{ name: 'A', initializer: "'a'" }],
        });
      });
    await edit();
    const once = tree.read('config.ts');
    await edit();
    expect(tree.read('config.ts')).toBe(once);
    expect(once).toContain('PORT: z.number()');
    expect(once).not.toContain('PORT: z.string()');
    expect(once?.match(/SECRET: z\.string\(\)\.min\(32\)/g)).toHaveLength(1);
    expect(once).toMatch(/DEFAULTS: Record<string, string> = \{\s*A: 'a'\s*\}/);
  });

  it('finds the variable inside a function and quotes names that are not identifiers, once', async () => {
    const tree = new Tree(
      await tempProject({
        'app.ts': 'export function buildApp() {\n  const apiRoutes = {};\n  return apiRoutes;\n}\n',
      }),
    );
    const edit = () =>
      editTypeScript(tree, 'app.ts', (file) => {
        expect(hasVariable(file, 'apiRoutes', 'buildApp')).toBe(true);
        expect(hasVariable(file, 'apiRoutes')).toBe(false);
        ensureObjectProperties(file, {
          variable: 'apiRoutes',
          functionName: 'buildApp',
          properties: [
            { name: 'order-items', initializer: 'orderItemRoutes()' },
            { name: 'auth', initializer: 'authRoutes()' },
          ],
        });
      });
    await edit();
    const once = tree.read('app.ts');
    await edit();
    expect(tree.read('app.ts')).toBe(once);
    expect(once).toMatch(
      /const apiRoutes = \{\s*'order-items': orderItemRoutes\(\),\s*auth: authRoutes\(\),?\s*\}/,
    );
  });

  it('refuses a variable that is missing or not an object literal', async () => {
    const tree = new Tree(await tempProject({ 'config.ts': 'export const x = 1;\n' }));
    await expect(
      editTypeScript(tree, 'config.ts', (file) => {
        ensureObjectProperties(file, {
          variable: 'x',
          properties: [{ name: 'A', initializer: '1' }],
        });
      }),
    ).rejects.toThrow(/not initialized with an object literal/);
    await expect(
      editTypeScript(tree, 'config.ts', (file) => {
        ensureObjectProperties(file, {
          variable: 'y',
          properties: [{ name: 'A', initializer: '1' }],
        });
      }),
    ).rejects.toThrow(/cannot find "const y"/);
  });
});

describe('enumValues', () => {
  it('reads an enum of the schema', async () => {
    const tree = new Tree(
      await tempProject({ 'schema.prisma': 'enum Role {\n  user\n  admin\n}\n' }),
    );
    expect(await enumValues(tree, 'schema.prisma', 'Role')).toEqual(['user', 'admin']);
    expect(await enumValues(tree, 'schema.prisma', 'Other')).toBeNull();
  });
});
