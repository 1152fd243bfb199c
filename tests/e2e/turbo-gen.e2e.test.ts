/**
 * The other direction: this repository's turbo/generators/config.ts registers the built-ins as
 * `turbo gen` generators whose single action runs `pnpm gen`, so `pnpm turbo gen <name>` goes
 * through the same engine (staged, atomic, manifest and undo).
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gen, outsideDir, repoRoot } from '../support/generate.js';
import { runOk } from '../support/process.js';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** `pnpm turbo gen <generator> --args …`, answering every prompt (turbo fetches @turbo/gen). */
const turboGen = (generator: string, args: readonly string[]) =>
  runOk('pnpm', ['exec', 'turbo', 'gen', generator, '--args', ...args], {
    cwd: repoRoot,
    timeoutMs: 300_000,
  });

describe('pnpm turbo gen', () => {
  it('runs service and api-resource through the engine, recorded in the manifest, undone by gen undo', async () => {
    const parent = await outsideDir('turbo-gen');
    made.push(parent);
    const service = await turboGen('service', ['shop', 'express', parent, '3000']);
    expect(service.stdout).toMatch(/service: \d+ files written/);
    const shop = path.join(parent, 'shop');
    const resource = await turboGen('api-resource', [
      'product',
      shop,
      'title:string:max=200',
      'none',
      'no',
    ]);
    expect(resource.stdout).toMatch(/api-resource: \d+ files written/);
    expect(existsSync(path.join(shop, 'src/modules/product/product.routes.ts'))).toBe(true);
    const manifest = JSON.parse(await readFile(path.join(shop, '.gen/manifest.json'), 'utf8')) as {
      runs: { generator: string }[];
    };
    expect(manifest.runs.map((run) => run.generator)).toEqual(['service', 'api-resource']);
    await gen(['undo', '--cwd', shop], parent);
    expect(existsSync(path.join(shop, 'src/modules/product'))).toBe(false);
    expect(existsSync(path.join(shop, 'src/app.ts'))).toBe(true);
  });
});
