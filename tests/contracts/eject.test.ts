/**
 * Templates you own: `gen eject` copies a built-in generator's templates into the project, and
 * that project's later runs render its copies, end to end on a generated service.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readTree } from '@svcgen/core/testing';
import { describe, expect, it } from 'vitest';
import { genIn } from '../support/cli.js';
import '../support/env.js';
import { tempDir } from '../support/temp.js';

const SERVICE_TEMPLATE = 'common/src/modules/__kebab__/__kebab__.service.ts.hbs';
const TEMPLATES = path.resolve(import.meta.dirname, '../../templates/api-resource');

const gen = (cwd: string, argv: readonly string[]) => genIn(cwd, [...argv, '--yes', '--no-format']);

async function ok(cwd: string, argv: readonly string[]) {
  const result = await gen(cwd, argv);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result;
}

const PRODUCT = [
  'api-resource',
  'product',
  '--service',
  'shop',
  '--fields',
  'title:string:max=200',
];

async function serviceIn(work: string): Promise<string> {
  await ok(work, ['service', 'shop', '--framework', 'fastify', '--dir', '.']);
  return path.join(work, 'shop');
}

async function productFiles(shop: string): Promise<Record<string, string>> {
  return readTree(path.join(shop, 'src/modules/product'));
}

describe('gen eject', () => {
  it('copies one template; an edited copy changes the next run, marked in the plan; undo works; deleting it restores the built-in output', async () => {
    const work = await tempDir('eject');
    const shop = await serviceIn(work);
    const twin = await serviceIn(await tempDir('eject-twin'));
    await ok(path.dirname(twin), PRODUCT);
    const builtIn = await productFiles(twin);

    await ok(work, ['eject', 'api-resource', '--service', 'shop', '--file', SERVICE_TEMPLATE]);
    const copy = path.join(shop, '.gen/templates/api-resource', SERVICE_TEMPLATE);
    expect(await readFile(copy, 'utf8')).toBe(
      await readFile(path.join(TEMPLATES, SERVICE_TEMPLATE), 'utf8'),
    );
    await writeFile(
      copy,
      `// House rules: every service method is reviewed.\n${await readFile(copy, 'utf8')}`,
    );

    const dry = await ok(work, [...PRODUCT, '--dry-run']);
    expect(dry.stdout).toMatch(
      /^CREATE shop\/src\/modules\/product\/product\.service\.ts \(\d+ lines\) \(from shop\/\.gen\/templates\/api-resource\/common\/src\/modules\/__kebab__\/__kebab__\.service\.ts\.hbs\)$/m,
    );
    expect(dry.stdout).not.toMatch(/product\.routes\.ts.*\(from /);
    await ok(work, PRODUCT);
    const owned = await productFiles(shop);
    expect(owned['product.service.ts']).toBe(
      `// House rules: every service method is reviewed.\n${builtIn['product.service.ts'] ?? ''}`,
    );
    expect({ ...owned, 'product.service.ts': '' }).toEqual({
      ...builtIn,
      'product.service.ts': '',
    });

    await ok(work, ['undo', '--cwd', shop]);
    expect(existsSync(path.join(shop, 'src/modules/product'))).toBe(false);
    await rm(copy);
    await ok(work, PRODUCT);
    expect(await productFiles(shop)).toEqual(builtIn);
  });

  it('names the file and line of a copy that does not render, and writes nothing (exit 1)', async () => {
    const work = await tempDir('eject-broken');
    const shop = await serviceIn(work);
    await ok(work, ['eject', 'api-resource', '--service', 'shop', '--file', SERVICE_TEMPLATE]);
    const copy = path.join(shop, '.gen/templates/api-resource', SERVICE_TEMPLATE);
    await writeFile(copy, `line one\n{{notAVariable}}\n`);
    const before = await readTree(shop);
    const result = await gen(work, PRODUCT);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: template ${copy}: "notAVariable" not defined`);
    expect(result.stderr).toMatch(/ - 2:\d+/);
    expect(await readTree(shop)).toEqual(before);
  });

  it('copies every template by default; again changes nothing; an edited copy is not overwritten without --force', async () => {
    const work = await tempDir('eject-all');
    const shop = await serviceIn(work);
    await ok(shop, ['eject', 'api-resource']);
    const copies = path.join(shop, '.gen/templates/api-resource');
    expect(await readTree(copies)).toEqual(await readTree(TEMPLATES));
    expect((await ok(shop, ['eject', 'api-resource'])).stdout).toContain('nothing to do');
    await writeFile(path.join(copies, SERVICE_TEMPLATE), 'mine\n');
    const refused = await gen(shop, ['eject', 'api-resource']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${SERVICE_TEMPLATE} already exists with different content`);
    expect(await readFile(path.join(copies, SERVICE_TEMPLATE), 'utf8')).toBe('mine\n');
  });

  it('refuses an unknown generator or template with exit 2 and one line, writing nothing', async () => {
    const work = await tempDir('eject-bad');
    const shop = await serviceIn(work);
    const unknown = await gen(shop, ['eject', 'component']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: eject: "component" is not a built-in generator/);
    const file = await gen(shop, ['eject', 'api-resource', '--file', 'common/nope.ts.hbs']);
    expect(file.code).toBe(2);
    expect(file.stderr.split('\n')).toHaveLength(1);
    expect(await readdir(path.join(shop, '.gen'))).toEqual(['manifest.json']);
  });
});
