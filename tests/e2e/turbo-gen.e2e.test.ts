/**
 * The other direction: this repository's turbo/generators/config.ts registers the built-ins as
 * `turbo gen` generators whose single action runs `pnpm gen`, so `pnpm turbo gen <name>` goes
 * through the same engine (staged, atomic, manifest and undo).
 */
import { existsSync } from 'node:fs';
import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { readTree } from '@svcgen/core/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { gen, outsideDir, repoRoot } from '../support/generate.js';
import { runOk } from '../support/process.js';

const TURBO_FIXTURE = path.join(repoRoot, 'packages/plop/test/fixtures/turbo');
const CLI = path.join(repoRoot, 'packages/cli/dist/bin.js');

async function copyOfTurboFixture(): Promise<string> {
  const dir = await outsideDir('turbo-fixture');
  made.push(dir);
  await cp(TURBO_FIXTURE, dir, { recursive: true });
  return dir;
}

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

  it('writes what turbo gen writes for a TypeScript turbo config, turbo.paths included', async () => {
    const byTurbo = await copyOfTurboFixture();
    const byGen = await copyOfTurboFixture();
    const answers = ['data-grid', 'no'];
    await runOk(
      'pnpm',
      ['exec', 'turbo', 'gen', 'package', '--root', byTurbo, '--args', ...answers],
      {
        cwd: path.join(byTurbo, 'packages/ui'),
        timeoutMs: 300_000,
      },
    );
    await runOk(process.execPath, [CLI, 'package', ...answers, '--yes'], {
      cwd: path.join(byGen, 'packages/ui'),
      env: { INIT_CWD: path.join(byGen, 'packages/ui') },
    });
    const theirs = await readTree(byTurbo);
    const ours = Object.fromEntries(
      Object.entries(await readTree(byGen))
        .filter(([file]) => !file.startsWith('.gen/'))
        .map(([file, content]) => [
          file,
          content.replaceAll(byGen.toUpperCase(), byTurbo.toUpperCase()),
        ]),
    );
    expect(Object.keys(theirs)).toContain('packages/data-grid/GENERATED.md');
    expect(ours).toEqual(theirs);
  });

  it('loads TypeScript configs without a build step on every supported Node', async () => {
    for (const [label, node] of Object.entries(inject('nodeBinaries'))) {
      const dir = await copyOfTurboFixture();
      const listed = await runOk(node, [CLI, '--list'], { cwd: dir, env: { INIT_CWD: dir } });
      expect(listed.stdout, label).toMatch(/^package\s+A new workspace package/m);
      await runOk(node, [CLI, 'package', 'charts', '--yes'], { cwd: dir, env: { INIT_CWD: dir } });
      expect(existsSync(path.join(dir, 'packages/charts/package.json')), label).toBe(true);
    }
  });
});
