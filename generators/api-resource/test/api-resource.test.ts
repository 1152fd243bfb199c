import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ConflictError,
  parseFieldSpec,
  resourceNames,
  runGenerator,
  runUndo,
  UsageError,
} from '@svcgen/core';
import { serviceGenerator } from '@svcgen/generator-service';
import { readTree } from '@svcgen/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { apiResourceGenerator } from '../src/index.js';
import { schemaBlocks } from '../src/model.js';

const CATEGORY = 'name:string:max=100:unique description:text?';
const PRODUCT =
  'title:string:max=200 price:decimal:min=0 sku:string:max=40:unique status:enum(draft|live):default=draft categoryId:ref(Category) notes:text?';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const snapshot = readTree;

/** A freshly generated service in a temp dir (never installed: the generator needs nothing from it). */
async function service(framework: 'express' | 'fastify'): Promise<string> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'svcgen-resource-'));
  dirs.push(cwd);
  await runGenerator(serviceGenerator, { name: 'shop', framework, dir: '.' }, { cwd });
  return cwd;
}

function resource(
  cwd: string,
  name: string,
  fields: string,
  run: { dryRun?: boolean; force?: boolean } = {},
) {
  return runGenerator(apiResourceGenerator, { name, service: './shop', fields }, { cwd, ...run });
}

describe.each(['express', 'fastify'] as const)(
  'gen api-resource into a %s service',
  (framework) => {
    it('mounts the routes as an entry of the apiRoutes list in app.ts, once, quoting kebab paths', async () => {
      const cwd = await service(framework);
      await resource(cwd, 'order-item', 'quantity:int');
      await resource(cwd, 'order-item', 'quantity:int');
      const app = await readFile(path.join(cwd, 'shop/src/app.ts'), 'utf8');
      const call =
        framework === 'express' ? 'orderItemRoutes(prisma, routes)' : 'orderItemRoutes(prisma)';
      expect(app).toMatch(
        new RegExp(
          `const apiRoutes: [^=]+= \\{\\s*'order-items': ${call.replace(/[()]/g, '\\$&')},?\\s*\\}`,
        ),
      );
      expect(app.match(/orderItemRoutes\(prisma/g)).toHaveLength(1);
    });

    it('still registers into an app.ts generated before the apiRoutes list existed', async () => {
      const cwd = await service(framework);
      const file = path.join(cwd, 'shop/src/app.ts');
      const current = await readFile(file, 'utf8');
      // The previous template: no list, resources registered one statement each.
      const legacy = current.replace(
        /\n\s*\/\*\* The API's route modules[^\n]*\n[^\n]*apiRoutes[^\n]*\n(?:[^\n]*\n){1,3}?(?=\s*(?:deps\.extraRoutes|const \{ extraRoutes \}))/,
        '\n',
      );
      expect(legacy).not.toContain('apiRoutes');
      await writeFile(file, legacy);
      await resource(cwd, 'tag', 'label:string');
      const app = await readFile(file, 'utf8');
      expect(app).toContain(
        framework === 'express'
          ? "api.use('/tags', tagRoutes(prisma, routes));"
          : "await app.register(tagRoutes(prisma), { prefix: '/api/v1/tags' });",
      );
    });

    it('adds model, migration, module, routes and tests, registered once in app.ts', async () => {
      const cwd = await service(framework);
      await resource(cwd, 'category', CATEGORY);
      const before = await snapshot(cwd);
      const { written } = await resource(cwd, 'products', PRODUCT);
      expect(written).toBe(true);
      const after = await snapshot(cwd);
      const added = Object.keys(after).filter((file) => !(file in before));
      const changed = Object.keys(after).filter(
        (file) => file in before && before[file] !== after[file],
      );
      expect(added.map((file) => file.replace(/\d{14}/, '<stamp>')).sort()).toMatchSnapshot();
      expect(changed.sort()).toEqual([
        'shop/.gen/manifest.json',
        'shop/prisma/schema.prisma',
        'shop/src/app.ts',
      ]);

      // The manifest records the options as they were given, so the run can be read and repeated.
      const manifest = JSON.parse(after['shop/.gen/manifest.json'] ?? '{}') as {
        runs: { generator: string; options: Record<string, unknown> }[];
      };
      expect(manifest.runs.at(-1)?.options).toEqual({
        name: 'products',
        service: './shop',
        fields: PRODUCT,
        auth: 'none',
        owned: false,
      });

      const app = after['shop/src/app.ts'] ?? '';
      expect(app.match(/productRoutes\(prisma/g)).toHaveLength(1);
      expect(app.match(/categoryRoutes\(prisma/g)).toHaveLength(1);
      expect(app).toContain("from './modules/product/product.routes.js'");

      const schema = after['shop/prisma/schema.prisma'] ?? '';
      expect(schema).toMatch(
        /model Product \{[^}]*categoryId\s+String\s+@map\("category_id"\) @db\.Uuid/,
      );
      expect(schema).toMatch(/model Category \{[^}]*products\s+Product\[\]/);
      expect(schema).toContain('enum ProductStatus {');

      const migration = Object.entries(after).find(([file]) =>
        file.endsWith('_add_product/migration.sql'),
      )?.[1];
      expect(migration).toContain('CREATE TABLE "products"');
      expect(migration).toContain(
        'FOREIGN KEY ("category_id") REFERENCES "categories"("id") ON DELETE RESTRICT',
      );
      expect(after['shop/src/modules/product/product.schemas.ts']).toMatchSnapshot();
    });

    it('is a no-op when run again, and undo removes the last resource byte for byte', async () => {
      const cwd = await service(framework);
      await resource(cwd, 'category', CATEGORY);
      const withCategory = await snapshot(cwd);
      await resource(cwd, 'product', PRODUCT);
      const withProduct = await snapshot(cwd);
      const again = await resource(cwd, 'products', PRODUCT);
      expect(again.written).toBe(false);
      const category = await resource(cwd, 'category', CATEGORY);
      expect(category.written).toBe(false);
      expect(await snapshot(cwd)).toEqual(withProduct);

      await runUndo({ cwd: path.join(cwd, 'shop') });
      expect(await snapshot(cwd)).toEqual(withCategory);
    });
  },
);

describe('gen api-resource safety', () => {
  it.each([
    ['an unknown type', 'title:strin', /unknown type "strin"/],
    ['a bad number', 'title:string:max=abc', /"max" must be an integer, got "abc"/],
    ['contradictory bounds', 'title:string:min=5:max=2', /min=5 is greater than max=2/],
    ['a duplicate field', 'title:string title:text', /declared twice/],
    ['a reserved word', 'class:string', /reserved word/],
    ['a quote in an enum value', "status:enum(a|b')", /enum value/],
    ['code in a name', 'x);drop:string', /camelCase/],
    ['a relation to a missing model', 'ownerId:ref(User)', /has no model User/],
  ])(
    'refuses %s with a usage error naming the token, writing nothing',
    async (_what, fields, message) => {
      const cwd = await service('fastify');
      const before = await snapshot(cwd);
      const error = await resource(cwd, 'widget', fields).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect(await snapshot(cwd)).toEqual(before);
    },
  );

  it('refuses a reserved resource name and an unknown service', async () => {
    const cwd = await service('express');
    await expect(resource(cwd, 'constructor', 'title:string')).rejects.toBeInstanceOf(UsageError);
    await expect(
      runGenerator(
        apiResourceGenerator,
        { name: 'thing', service: 'nope', fields: 'title:string' },
        { cwd },
      ),
    ).rejects.toThrow(/no service found/);
  });

  it('refuses a different spec for an existing resource unless --force, which also writes a change migration', async () => {
    const cwd = await service('express');
    await resource(cwd, 'category', CATEGORY);
    await resource(cwd, 'product', PRODUCT);
    const before = await snapshot(cwd);
    await expect(resource(cwd, 'product', 'title:string:max=100')).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await snapshot(cwd)).toEqual(before);

    await resource(cwd, 'product', 'title:string:max=100', { force: true });
    const after = await snapshot(cwd);
    const change = Object.entries(after).find(([file]) =>
      file.endsWith('_change_product/migration.sql'),
    )?.[1];
    expect(change).toContain('DROP COLUMN "price"');
    expect(after['shop/prisma/schema.prisma']).not.toMatch(/products\s+Product\[\]/);
  });

  it('--dry-run writes nothing and plans the migration', async () => {
    const cwd = await service('fastify');
    await resource(cwd, 'category', CATEGORY);
    const before = await snapshot(cwd);
    const { written, plan } = await resource(cwd, 'product', PRODUCT, { dryRun: true });
    expect(written).toBe(false);
    expect(
      plan.some(
        (entry) => entry.action === 'create' && entry.path.endsWith('_add_product/migration.sql'),
      ),
    ).toBe(true);
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('does not overwrite a shared helper the user changed', async () => {
    const cwd = await service('fastify');
    await resource(cwd, 'category', CATEGORY);
    const helper = path.join(cwd, 'shop/src/lib/validation.ts');
    const mine = `${await readFile(helper, 'utf8')}\n// mine\n`;
    await writeFile(helper, mine);
    await resource(cwd, 'product', PRODUCT);
    expect(await readFile(helper, 'utf8')).toBe(mine);
  });
});

describe('references and who may read the records they name', () => {
  /** A service with what api-resource looks for of jwt-auth: the auth module, User and Role. */
  async function serviceWithAuth(): Promise<string> {
    const cwd = await service('fastify');
    await mkdir(path.join(cwd, 'shop/src/modules/auth'), { recursive: true });
    await writeFile(path.join(cwd, 'shop/src/modules/auth/auth.ts'), 'export {};\n');
    await appendFile(
      path.join(cwd, 'shop/prisma/schema.prisma'),
      '\nenum Role {\n  user\n  editor\n  admin\n}\n\nmodel User {\n  id   String @id @default(uuid(7)) @db.Uuid\n  role Role   @default(user)\n}\n',
    );
    return cwd;
  }
  const gen = (cwd: string, name: string, fields: string, auth = 'none') =>
    runGenerator(apiResourceGenerator, { name, service: './shop', fields, auth }, { cwd });
  const read = (cwd: string, file: string) => readFile(path.join(cwd, 'shop', file), 'utf8');

  it('writes every resource its read rule and applies the referenced one: an open resource signs in callers who send a token', async () => {
    const cwd = await serviceWithAuth();
    await gen(cwd, 'category', 'name:string', 'role=editor');
    expect(await read(cwd, 'src/modules/category/category.access.ts')).toContain(
      "export const categoryAccess: ReadAccess = { signIn: true, roles: ['editor'] };",
    );
    await gen(cwd, 'product', 'title:string categoryId:ref(Category)');
    expect(await read(cwd, 'src/modules/product/product.access.ts')).toContain('{ signIn: false }');
    const routes = await read(cwd, 'src/modules/product/product.routes.ts');
    expect(routes).toContain('service.create(request.body, callerOf(request))');
    expect(routes).toContain('const security = [{}, { bearerAuth: [] }];');
    const service = await read(cwd, 'src/modules/product/product.service.ts');
    expect(service).toContain('readScope(categoryAccess, caller)');
    const tests = await read(cwd, 'test/product.test.ts');
    expect(tests).toContain('to a caller who is not signed in');
    expect(tests).toContain("createUserWithToken(prisma, 'user')"); // the outsider: no editor role
    expect(await read(cwd, 'src/app.ts')).toContain('productRoutes(prisma, auth)');
  });

  it('follows a read rule the user changed', async () => {
    const cwd = await serviceWithAuth();
    await gen(cwd, 'tag', 'label:string');
    const rule = path.join(cwd, 'shop/src/modules/tag/tag.access.ts');
    await writeFile(
      rule,
      (await readFile(rule, 'utf8')).replace(
        '{ signIn: false }',
        "{\n  signIn: true, // staff only\n  roles: ['admin'],\n}",
      ),
    );
    await gen(cwd, 'post', 'title:string tagId:ref(Tag)', 'user');
    const tests = await read(cwd, 'test/post.test.ts');
    expect(tests).toContain("user = await createUserWithToken(prisma, 'admin')");
    expect(tests).toContain('to a caller without the admin role');
  });

  it('refuses a reference no caller of the resource could set, writing nothing', async () => {
    const cwd = await serviceWithAuth();
    await gen(cwd, 'category', 'name:string', 'role=editor');
    const before = await snapshot(cwd);
    await expect(
      gen(cwd, 'memo', 'body:string categoryId:ref(Category)', 'role=user'),
    ).rejects.toThrow(
      /categoryId:ref\(Category\): only the editor role may read category records, and no caller of memos can have it \(their routes need user\)/,
    );
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('refuses a reference to a resource without a read rule, or with one it cannot read', async () => {
    const cwd = await serviceWithAuth();
    await gen(cwd, 'category', 'name:string');
    const rule = path.join(cwd, 'shop/src/modules/category/category.access.ts');
    await writeFile(rule, 'export const categoryAccess = rules();\n');
    await expect(gen(cwd, 'product', 'title:string categoryId:ref(Category)')).rejects.toThrow(
      /categoryId:ref\(Category\): cannot read shop\/src\/modules\/category\/category\.access\.ts/,
    );
    await rm(rule);
    const before = await snapshot(cwd);
    await expect(gen(cwd, 'product', 'title:string categoryId:ref(Category)')).rejects.toThrow(
      /category\.access\.ts is missing \(made by an older svcgen\)/,
    );
    expect(await snapshot(cwd)).toEqual(before);
  });
});

describe('the Prisma model of an owned resource', () => {
  it('makes unique values unique per owner, so one user cannot probe which values another holds', () => {
    const fields = parseFieldSpec(
      'slug:string:max=80:unique folderId:ref(Folder):unique body:text',
    );
    const model = schemaBlocks(resourceNames('note'), fields, [], true).find(
      (block) => block.kind === 'model',
    );
    expect(model?.source).toContain('@@unique([ownerId, slug])');
    expect(model?.source).toMatch(/^\s+slug String @db\.VarChar\(80\)$/m);
    // A one-to-one reference stays unique as a whole: it is about the referenced record.
    expect(model?.source).toMatch(/^\s+folderId String @unique @map\("folder_id"\) @db\.Uuid$/m);
    expect(model?.source).not.toContain('@@unique([ownerId, folderId])');
    const open = schemaBlocks(resourceNames('note'), fields).find(
      (block) => block.kind === 'model',
    );
    expect(open?.source).toMatch(/^\s+slug String @unique @db\.VarChar\(80\)$/m);
  });
});
