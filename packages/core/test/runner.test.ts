import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  defineGenerator,
  MANIFEST_PATH,
  runGenerator,
  runUndo,
  UsageError,
} from '../src/index.js';
import { sampleGenerator } from './fixtures/sample/generator.js';
import { snapshotDir, tempProject } from './helpers.js';

const INDEX = `import { baseMessage } from './base.js';

export function messages(): string[] {
  const list = [baseMessage];
  return list;
}
`;
const now = new Date('2026-01-02T03:04:05.000Z');

async function project(): Promise<string> {
  return tempProject({
    '.prettierrc.json': '{ "singleQuote": true }\n',
    'src/index.ts': INDEX,
    'src/base.ts': "export const baseMessage = 'base';\n",
  });
}

describe('runGenerator', () => {
  it('adds a file from a template and registers it in index.ts through the AST', async () => {
    const cwd = await project();
    const { plan, written } = await runGenerator(
      sampleGenerator,
      { name: 'greeting-card', message: 'hi "there"' },
      { cwd, now },
    );
    expect(written).toBe(true);
    expect(plan.map((entry) => [entry.action, entry.path])).toEqual([
      ['create', '.gen/manifest.json'],
      ['create', 'src/greeting-card.ts'],
      ['update', 'src/index.ts'],
    ]);
    expect(await readFile(path.join(cwd, 'src/greeting-card.ts'), 'utf8')).toBe(
      'export const greetingCardMessage = \'hi "there"\';\n',
    );
    const index = await readFile(path.join(cwd, 'src/index.ts'), 'utf8');
    expect(index).toContain("import { greetingCardMessage } from './greeting-card.js';");
    expect(index).toMatch(
      /const list = \[baseMessage\];\n\s+list\.push\(greetingCardMessage\);\n\s+return list;/,
    );
  });

  it('is a no-op when run twice with the same options, manifest included', async () => {
    const cwd = await project();
    await runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now });
    const before = await snapshotDir(cwd);
    const second = await runGenerator(
      sampleGenerator,
      { name: 'greeting' },
      { cwd, now: new Date() },
    );
    expect(second.written).toBe(false);
    expect(second.plan.every((entry) => entry.action === 'skip')).toBe(true);
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('writes nothing on a dry run but reports the plan with a diff of each update', async () => {
    const cwd = await project();
    const before = await snapshotDir(cwd);
    const { plan, written } = await runGenerator(
      sampleGenerator,
      { name: 'greeting' },
      { cwd, dryRun: true, now },
    );
    expect(written).toBe(false);
    expect(await snapshotDir(cwd)).toEqual(before);
    const update = plan.find((entry) => entry.path === 'src/index.ts');
    expect(update?.action).toBe('update');
    expect(update?.diff).toContain("+import { greetingMessage } from './greeting.js';");
  });

  it('refuses to overwrite a file edited by hand, writing nothing', async () => {
    const cwd = await project();
    await runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now });
    const before = await snapshotDir(cwd);
    await expect(
      runGenerator(sampleGenerator, { name: 'greeting', message: 'changed' }, { cwd, now }),
    ).rejects.toThrow(ConflictError);
    await expect(
      runGenerator(sampleGenerator, { name: 'greeting', message: 'changed' }, { cwd, now }),
    ).rejects.toThrow(/src\/greeting\.ts already exists/);
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('overwrites with --force', async () => {
    const cwd = await project();
    await runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now });
    await runGenerator(
      sampleGenerator,
      { name: 'greeting', message: 'changed' },
      { cwd, now, force: true },
    );
    expect(await readFile(path.join(cwd, 'src/greeting.ts'), 'utf8')).toContain("'changed'");
  });

  it('leaves the tree byte-identical when a write fails half-way', async () => {
    const cwd = await project();
    const before = await snapshotDir(cwd);
    const failing = runGenerator(
      sampleGenerator,
      { name: 'greeting' },
      {
        cwd,
        now,
        hooks: {
          beforeCommit: (_change, index) => {
            if (index === 2) throw new Error('disk full');
          },
        },
      },
    );
    await expect(failing).rejects.toThrow('disk full');
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('leaves the tree untouched when the generator itself fails', async () => {
    const cwd = await tempProject({ 'src/base.ts': 'export {};\n' });
    const before = await snapshotDir(cwd);
    await expect(runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now })).rejects.toThrow(
      /src\/index\.ts: the file does not exist/,
    );
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('rejects invalid options with a usage error naming the flag', async () => {
    const cwd = await project();
    await expect(runGenerator(sampleGenerator, { name: 42 }, { cwd })).rejects.toThrow(UsageError);
    await expect(runGenerator(sampleGenerator, {}, { cwd })).rejects.toThrow(/^--name: [^\n]+$/);
  });

  it('records each run in the manifest with hashes and previous content', async () => {
    const cwd = await project();
    await runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now });
    const manifest = JSON.parse(await readFile(path.join(cwd, MANIFEST_PATH), 'utf8')) as {
      runs: {
        generator: string;
        options: unknown;
        files: { path: string; action: string; hash: string; before: string | null }[];
      }[];
    };
    expect(manifest.runs).toHaveLength(1);
    expect(manifest.runs[0]?.generator).toBe('sample');
    expect(manifest.runs[0]?.options).toEqual({ name: 'greeting', message: 'hello' });
    const index = manifest.runs[0]?.files.find((file) => file.path === 'src/index.ts');
    expect(index).toMatchObject({ action: 'updated', before: INDEX });
    expect(index?.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('runUndo', () => {
  it('restores the tree byte for byte, run by run, and removes the manifest with the last run', async () => {
    const cwd = await project();
    const original = await snapshotDir(cwd);
    await runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now });
    const afterFirst = await snapshotDir(cwd);
    await runGenerator(sampleGenerator, { name: 'farewell' }, { cwd, now });

    const undone = await runUndo({ cwd });
    expect(undone.undone).toBe('sample');
    expect(await snapshotDir(cwd)).toEqual(afterFirst);
    await runUndo({ cwd });
    expect(await snapshotDir(cwd)).toEqual(original);
  });

  it('refuses to undo when a file was edited since, naming it, and changes nothing', async () => {
    const cwd = await project();
    await runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(cwd, 'src/greeting.ts'), 'export const edited = true;\n');
    const before = await snapshotDir(cwd);
    await expect(runUndo({ cwd })).rejects.toThrow(/src\/greeting\.ts/);
    expect(await snapshotDir(cwd)).toEqual(before);
    await runUndo({ cwd, force: true });
    expect(Object.keys(await snapshotDir(cwd)).sort()).toEqual([
      '.prettierrc.json',
      'src/',
      'src/base.ts',
      'src/index.ts',
    ]);
  });

  it('says there is nothing to undo in a project without runs', async () => {
    const cwd = await project();
    await expect(runUndo({ cwd })).rejects.toThrow(/nothing to undo/);
  });

  it('shows the undo plan on a dry run without writing', async () => {
    const cwd = await project();
    await runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now });
    const before = await snapshotDir(cwd);
    const { plan } = await runUndo({ cwd, dryRun: true });
    expect(plan.map((entry) => [entry.action, entry.path])).toEqual([
      ['delete', '.gen/manifest.json'],
      ['delete', 'src/greeting.ts'],
      ['update', 'src/index.ts'],
    ]);
    expect(await snapshotDir(cwd)).toEqual(before);
  });
});

describe('project(): a run recorded in the manifest of the project it writes into', () => {
  const nested = defineGenerator({
    name: 'nested',
    description: 'writes into a sub-project',
    examples: [],
    options: z.object({ dir: z.string().default('app'), outside: z.string().optional() }),
    templatesDir: '.',
    project: (options, cwd) => path.resolve(cwd, options.dir),
    generate(tree, options, context) {
      tree.create(`${context.projectDir}/src/main.ts`, 'export const main = 1;\n');
      if (options.outside !== undefined) tree.create(options.outside, 'x\n');
      return Promise.resolve(undefined);
    },
  });

  it('writes app/.gen/manifest.json with paths relative to app, and undo from app reverts it', async () => {
    const cwd = await tempProject();
    const { plan } = await runGenerator(nested, {}, { cwd, now, format: false });
    expect(plan.map((entry) => entry.path)).toContain('app/src/main.ts');
    const manifest = JSON.parse(await readFile(path.join(cwd, 'app', MANIFEST_PATH), 'utf8')) as {
      runs: { files: { path: string }[] }[];
    };
    expect(manifest.runs[0]?.files.map((file) => file.path)).toEqual(['src/main.ts']);
    await runUndo({ cwd: path.join(cwd, 'app') });
    expect(await snapshotDir(cwd)).toEqual({ 'app/': '' });
  });

  it('refuses a change outside the project and writes nothing', async () => {
    const cwd = await tempProject();
    await expect(
      runGenerator(nested, { outside: 'elsewhere.txt' }, { cwd, now, format: false }),
    ).rejects.toThrow(/outside its project/);
    expect(await snapshotDir(cwd)).toEqual({});
  });

  it('writes into a project the user named outside cwd, with paths relative to it', async () => {
    const cwd = await tempProject();
    const elsewhere = await tempProject();
    const { plan } = await runGenerator(
      nested,
      { dir: path.join(elsewhere, 'app') },
      { cwd, now, format: false },
    );
    expect(plan.map((entry) => entry.path)).toEqual(['.gen/manifest.json', 'src/main.ts']);
    expect(Object.keys(await snapshotDir(elsewhere))).toContain('app/src/main.ts');
    expect(await snapshotDir(cwd)).toEqual({});
  });

  it('keeps the "never outside the project" rule for a project outside cwd', async () => {
    const cwd = await tempProject();
    const elsewhere = await tempProject();
    await expect(
      runGenerator(
        nested,
        { dir: path.join(elsewhere, 'app'), outside: '../elsewhere.txt' },
        { cwd, now, format: false },
      ),
    ).rejects.toThrow(UsageError);
    expect(await snapshotDir(elsewhere)).toEqual({});
  });
});

describe('files whose content another process computes (tree.createLater)', () => {
  const later = (content: () => Promise<string>) =>
    defineGenerator({
      name: 'later',
      description: 'stages one file now and one when its content is ready',
      examples: [],
      options: z.object({}),
      templatesDir: '.',
      generate(tree) {
        tree.createLater('src/slow.sql', content());
        tree.create('src/now.ts', 'export const now = 1;\n');
        return Promise.resolve(undefined);
      },
    });

  it('are staged before the plan, so the dry run shows them and the run writes them', async () => {
    const cwd = await tempProject({});
    const slow = () =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          resolve('SELECT 1;\n');
        }, 50),
      );
    const dry = await runGenerator(later(slow), {}, { cwd, now, dryRun: true });
    expect(dry.plan.map((entry) => [entry.action, entry.path])).toEqual([
      ['create', '.gen/manifest.json'],
      ['create', 'src/now.ts'],
      ['create', 'src/slow.sql'],
    ]);
    expect(await snapshotDir(cwd)).toEqual({});
    await runGenerator(later(slow), {}, { cwd, now });
    expect(await readFile(path.join(cwd, 'src/slow.sql'), 'utf8')).toBe('SELECT 1;\n');
  });

  it('fail the whole run when their content fails: nothing is written', async () => {
    const cwd = await tempProject({});
    const failing = () =>
      new Promise<string>((_, reject) =>
        setTimeout(() => {
          reject(new Error('prisma migrate diff failed'));
        }, 50),
      );
    await expect(runGenerator(later(failing), {}, { cwd, now })).rejects.toThrow(
      'prisma migrate diff failed',
    );
    expect(await snapshotDir(cwd)).toEqual({});
  });
});
