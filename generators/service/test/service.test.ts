import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConflictError, runGenerator, runUndo, UsageError } from '@svcgen/core';
import { readTree } from '@svcgen/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceGenerator } from '../src/index.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'svcgen-service-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

async function listFiles(dir: string): Promise<string[]> {
  return Object.keys(await readTree(dir));
}

const snapshot = readTree;

function gen(
  cwd: string,
  options: Record<string, unknown>,
  run: { dryRun?: boolean; force?: boolean } = {},
) {
  return runGenerator(serviceGenerator, { dir: '.', ...options }, { cwd, now: NOW, ...run });
}

describe.each(['express', 'fastify'] as const)('gen service --framework %s', (framework) => {
  it('writes the expected files', async () => {
    const cwd = await tempDir();
    const { written } = await gen(cwd, { name: 'Billing', framework, port: 4000 });
    expect(written).toBe(true);
    expect(await listFiles(cwd)).toMatchSnapshot();
  });

  it('renders names, port and framework into the code', async () => {
    const cwd = await tempDir();
    await gen(cwd, { name: 'billing-api', framework, port: 4100 });
    const files = await snapshot(path.join(cwd, 'billing-api'));
    const pkg = JSON.parse(files['package.json'] ?? '{}') as {
      name: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.name).toBe('billing-api');
    expect(Object.keys(pkg.dependencies)).toContain(framework);
    expect(Object.keys(pkg.dependencies)).not.toContain(
      framework === 'express' ? 'fastify' : 'express',
    );
    for (const version of Object.values({ ...pkg.dependencies, ...pkg.devDependencies })) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    }
    expect(files['src/config.ts']).toContain('.default(4100)');
    expect(files['test/global-setup.ts']).toContain('`billing_api_test_');
    expect(files['src/app.ts']).toMatchSnapshot();
    expect(files['src/server.ts']).toMatchSnapshot();
    expect(files['package.json']).toMatchSnapshot();
    // Nothing refers back to this repository.
    for (const [file, content] of Object.entries(files)) {
      expect(content, file).not.toMatch(/svcgen|workspace:|prisma-engine|\{\{|\}\}/);
    }
  });

  it('is idempotent: a second run writes nothing and leaves every byte as it was', async () => {
    const cwd = await tempDir();
    await gen(cwd, { name: 'billing', framework });
    const before = await snapshot(cwd);
    const again = await gen(cwd, { name: 'billing', framework });
    expect(again.written).toBe(false);
    expect(again.plan.every((entry) => entry.action === 'skip')).toBe(true);
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('--dry-run writes nothing and plans every file', async () => {
    const cwd = await tempDir();
    const { written, plan } = await gen(cwd, { name: 'billing', framework }, { dryRun: true });
    expect(written).toBe(false);
    expect(await listFiles(cwd)).toEqual([]);
    expect(plan.filter((entry) => entry.action === 'create').map((entry) => entry.path)).toContain(
      'billing/src/app.ts',
    );
  });
});

describe('gen service safety', () => {
  it('refuses invalid names with a usage error and writes nothing', async () => {
    const cwd = await tempDir();
    for (const name of ['', '1billing', 'bill ing', '../escape', 'a'.repeat(80)]) {
      await expect(gen(cwd, { name, framework: 'express' })).rejects.toBeInstanceOf(UsageError);
    }
    await expect(gen(cwd, { name: 'billing', framework: 'koa' })).rejects.toThrow(/framework/);
    await expect(gen(cwd, { name: 'billing', framework: 'express', port: 70000 })).rejects.toThrow(
      /port/,
    );
    expect(await listFiles(cwd)).toEqual([]);
  });

  it('refuses to overwrite a changed file without --force, and writes nothing at all', async () => {
    const cwd = await tempDir();
    await gen(cwd, { name: 'billing', framework: 'express' });
    await writeFile(path.join(cwd, 'billing/src/app.ts'), '// mine\n');
    await rm(path.join(cwd, 'billing/src/server.ts'));
    const before = await snapshot(cwd);
    await expect(gen(cwd, { name: 'billing', framework: 'express' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await snapshot(cwd)).toEqual(before);
    await gen(cwd, { name: 'billing', framework: 'express' }, { force: true });
    expect(await readFile(path.join(cwd, 'billing/src/app.ts'), 'utf8')).toContain(
      'export function buildApp',
    );
  });

  it('refuses a folder that holds another package', async () => {
    const cwd = await tempDir({
      'billing/package.json': JSON.stringify({ name: 'something-else' }),
    });
    await expect(gen(cwd, { name: 'billing', framework: 'fastify' })).rejects.toThrow(
      /another project/,
    );
  });

  it('inside a pnpm workspace the service is a member: no pnpm-workspace.yaml of its own', async () => {
    const cwd = await tempDir({ 'pnpm-workspace.yaml': 'packages:\n  - services/*\n' });
    await runGenerator(
      serviceGenerator,
      { name: 'billing', framework: 'fastify' },
      { cwd, now: NOW },
    );
    expect(existsSync(path.join(cwd, 'services/billing/package.json'))).toBe(true);
    expect(existsSync(path.join(cwd, 'services/billing/pnpm-workspace.yaml'))).toBe(false);
  });

  it("records the run in the service's own manifest, and undo from there removes it again", async () => {
    const cwd = await tempDir();
    await gen(cwd, { name: 'billing', framework: 'fastify' });
    const manifest = JSON.parse(
      await readFile(path.join(cwd, 'billing/.gen/manifest.json'), 'utf8'),
    ) as {
      runs: { generator: string; files: { path: string }[] }[];
    };
    expect(manifest.runs.map((run) => run.generator)).toEqual(['service']);
    expect(manifest.runs[0]?.files.map((file) => file.path)).toContain('src/app.ts');
    expect(existsSync(path.join(cwd, '.gen'))).toBe(false);
    await runUndo({ cwd: path.join(cwd, 'billing') });
    expect(await listFiles(cwd)).toEqual([]);
  });

  it('standalone, it carries the pnpm settings it needs', async () => {
    const cwd = await tempDir();
    await gen(cwd, { name: 'billing', framework: 'express' });
    expect(await readFile(path.join(cwd, 'billing/pnpm-workspace.yaml'), 'utf8')).toMatch(
      /allowBuilds:/,
    );
  });
});
