/**
 * Aiming `pnpm gen` at a project from anywhere: a path the user names is the project the run
 * writes into, wherever it lies, and the "never write outside the project" rule applies to it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import '../support/env.js';
import { describe, expect, it } from 'vitest';
import { genIn } from '../support/cli.js';
import { tempDir as temp } from '../support/temp.js';

const tempDir = () => temp('paths');

/** `pnpm gen …` started in `cwd` (or, as `pnpm -w gen` does, with INIT_CWD set). */
const gen = (cwd: string, argv: string[], env: NodeJS.ProcessEnv = {}) =>
  genIn(cwd, [...argv, '--yes', '--no-format'], env);

const RESOURCE = ['api-resource', 'product', '--fields', 'title:string:max=200'];

/** A service made by `gen service shop --cwd <work> --dir .`, as a new user would. */
async function serviceIn(work: string): Promise<string> {
  const made = await gen(work, ['service', 'shop', '--framework', 'fastify', '--dir', '.']);
  expect(made.stderr).toBe('');
  expect(made.code).toBe(0);
  return path.join(work, 'shop');
}

async function filesOf(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map((file) => file.split(path.sep).join('/'));
}

describe('paths the user names', () => {
  it('--service with an absolute path outside the folder the command runs in', async () => {
    const shop = await serviceIn(await tempDir());
    const elsewhere = await tempDir();
    const result = await gen(elsewhere, [...RESOURCE, '--service', shop]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(path.join(shop, 'src/modules/product/product.routes.ts'))).toBe(true);
    expect(await readdir(elsewhere)).toEqual([]);
    // The service's own manifest records the run, so undo from there reverts it.
    expect((await gen(elsewhere, ['undo', '--cwd', shop])).code).toBe(0);
    expect(existsSync(path.join(shop, 'src/modules/product'))).toBe(false);
  });

  it('--service with a relative path that leaves the folder, and --service . with --cwd', async () => {
    const work = await tempDir();
    const shop = await serviceIn(work);
    const sibling = path.join(work, 'tools');
    await mkdir(sibling);
    const relative = await gen(sibling, [...RESOURCE, '--service', '../shop']);
    expect(relative.stderr).toBe('');
    expect(relative.code).toBe(0);
    const dot = await gen(sibling, ['jwt-auth', '--cwd', shop, '--service', '.']);
    expect(dot.stderr).toBe('');
    expect(dot.code).toBe(0);
    expect(await filesOf(shop)).toEqual(
      expect.arrayContaining([
        'src/modules/product/product.routes.ts',
        'src/modules/auth/auth.routes.ts',
      ]),
    );
    expect(await readdir(sibling)).toEqual([]);
  });

  it('pnpm -w gen from inside the service: INIT_CWD is the default --cwd', async () => {
    const shop = await serviceIn(await tempDir());
    const workspaceRoot = await tempDir();
    const result = await gen(workspaceRoot, [...RESOURCE, '--service', '.'], { INIT_CWD: shop });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(path.join(shop, 'src/modules/product/product.service.ts'))).toBe(true);
    expect(result.stdout).toMatch(/^ {2}cd \.$/m);
  });

  it('gen service --dir with an absolute parent elsewhere, made if missing', async () => {
    const elsewhere = await tempDir();
    const parent = path.join(await tempDir(), 'new', 'place');
    const result = await gen(elsewhere, [
      'service',
      'shop',
      '--framework',
      'express',
      '--dir',
      parent,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await filesOf(path.join(parent, 'shop'))).toEqual(
      expect.arrayContaining(['package.json', 'src/app.ts', '.gen/manifest.json']),
    );
    expect(result.stdout).toContain(`cd ${path.join(parent, 'shop')}`);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  it('answers a path that is not a service with exit 2 and one line, writing nothing', async () => {
    const work = await tempDir();
    await writeFile(path.join(work, 'package.json'), '{}\n');
    const result = await gen(work, [...RESOURCE, '--service', '.']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: no service found for --service "\."/);
    expect(await readdir(work)).toEqual(['package.json']);
  });

  it('answers a --dir that cannot hold a folder with exit 2 and one line, writing nothing', async () => {
    const work = await tempDir();
    await writeFile(path.join(work, 'taken'), 'a file\n');
    const result = await gen(work, ['service', 'shop', '--framework', 'fastify', '--dir', 'taken']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: --dir taken: ${path.join(work, 'taken')} is a file, not a folder`,
    );
    expect(await readdir(work)).toEqual(['taken']);
  });
});
