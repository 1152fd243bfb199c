import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineGenerator, MANIFEST_PATH, runGenerator, runUndo, UsageError } from '../src/index.js';
import { sampleGenerator } from './fixtures/sample/generator.js';
import { snapshotDir, tempProject } from './helpers.js';

const now = new Date('2026-01-02T03:04:05.000Z');

/** Creates and deletes exactly the paths it is given. */
const writer = defineGenerator({
  name: 'writer',
  description: 'writes the files it is given',
  examples: [],
  options: z.object({
    create: z.array(z.string()).default([]),
    remove: z.array(z.string()).default([]),
  }),
  templatesDir: '.',
  generate(tree, options) {
    for (const file of options.create) tree.create(file, `generated ${file}\n`);
    for (const file of options.remove) tree.delete(file);
    return Promise.resolve({});
  },
});

/** A project beside an `outside` folder, with `project/link -> outside`. */
async function projectWithOutsideLink(): Promise<{ cwd: string; holder: string }> {
  const holder = await tempProject({
    'outside/victim.txt': 'outside\n',
    'outside.txt': 'outside\n',
    'project/a.txt': 'a\n',
  });
  const cwd = path.join(holder, 'project');
  await symlink(path.join(holder, 'outside'), path.join(cwd, 'link'), 'dir');
  return { cwd, holder };
}

async function expectRefusal(promise: Promise<unknown>, offending: string): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect(error).toMatchObject({ exitCode: 2 });
  const { message } = error as Error;
  expect(message).not.toContain('\n');
  expect(message).toContain(offending);
}

describe('symlinks: nothing is ever written or deleted through one', () => {
  it('refuses to create link/file.txt when link points outside, on a dry run too, writing nothing', async () => {
    const { cwd, holder } = await projectWithOutsideLink();
    const before = await snapshotDir(holder);
    const create = ['a-new.txt', 'link/file.txt'];
    await expectRefusal(
      runGenerator(writer, { create }, { cwd, now, dryRun: true }),
      'link/file.txt',
    );
    await expectRefusal(runGenerator(writer, { create }, { cwd, now }), 'link/file.txt');
    expect(await snapshotDir(holder)).toEqual(before);
  });

  it('refuses to delete a file through a symlink that points outside', async () => {
    const { cwd, holder } = await projectWithOutsideLink();
    const before = await snapshotDir(holder);
    await expectRefusal(
      runGenerator(writer, { remove: ['link/victim.txt'] }, { cwd, now }),
      'link/victim.txt',
    );
    expect(await snapshotDir(holder)).toEqual(before);
  });

  it('refuses to write through a symlink even when it stays inside the project', async () => {
    const cwd = await tempProject({ 'src/real.txt': 'real\n' });
    await symlink(path.join(cwd, 'src'), path.join(cwd, 'alias'), 'dir');
    await symlink(path.join(cwd, 'src/real.txt'), path.join(cwd, 'file-link.txt'), 'file');
    const before = await snapshotDir(cwd);
    await expectRefusal(runGenerator(writer, { create: ['alias/new.txt'] }, { cwd, now }), 'alias');
    await expectRefusal(
      runGenerator(writer, { remove: ['file-link.txt'] }, { cwd, now }),
      'file-link.txt',
    );
    expect(await snapshotDir(cwd)).toEqual(before);
  });

  it('runs and undoes normally in a project reached through a symlinked root', async () => {
    const real = await tempProject({
      'src/index.ts':
        'export function messages(): string[] {\n  const list = [];\n  return list;\n}\n',
    });
    const holder = await tempProject();
    const cwd = path.join(holder, 'root-link');
    await symlink(real, cwd, 'dir');
    const original = await snapshotDir(real);

    await runGenerator(sampleGenerator, { name: 'greeting' }, { cwd, now });
    expect(await readFile(path.join(real, 'src/greeting.ts'), 'utf8')).toContain('hello');
    await runUndo({ cwd });
    expect(await snapshotDir(real)).toEqual(original);
  });
});

describe('a hand-edited manifest never lets `gen undo --force` touch anything outside', () => {
  async function manifestNaming(bad: (cwd: string, holder: string) => string) {
    const project = await projectWithOutsideLink();
    await runGenerator(
      writer,
      { create: ['created.txt'] },
      { cwd: project.cwd, now, format: false },
    );
    const file = path.join(project.cwd, MANIFEST_PATH);
    const manifest = JSON.parse(await readFile(file, 'utf8')) as {
      runs: { files: { path: string; action: string; hash: string | null; before: null }[] }[];
    };
    const offending = bad(project.cwd, project.holder);
    manifest.runs[0]?.files.push({ path: offending, action: 'created', hash: 'x', before: null });
    await writeFile(file, JSON.stringify(manifest));
    return { ...project, offending };
  }

  it.each([
    ['a path that climbs out', () => '../outside.txt'],
    ['a path through a symlink that points outside', () => 'link/victim.txt'],
    [
      'an absolute path outside',
      (_cwd: string, holder: string) => path.join(holder, 'outside.txt'),
    ],
    ['an absolute path, even inside', (cwd: string) => path.join(cwd, 'a.txt')],
  ])('refuses the whole undo for %s, changing nothing', async (_name, bad) => {
    const { cwd, holder, offending } = await manifestNaming(bad);
    const before = await snapshotDir(holder);
    await expectRefusal(runUndo({ cwd, force: true }), offending);
    expect(await snapshotDir(holder)).toEqual(before);
  });
});

describe('undo is as atomic as a run', () => {
  it.each([0, 1, 2, 3])(
    'leaves every file byte-identical when step %i of an undo fails',
    async (failing) => {
      const cwd = await tempProject({ 'old.txt': 'old\n', 'keep/keep.txt': 'keep\n' });
      await runGenerator(
        writer,
        { create: ['keep/one.txt', 'new/two.txt'], remove: ['old.txt'] },
        { cwd, now, format: false },
      );
      const before = await snapshotDir(cwd);
      const hooks = {
        beforeCommit: (_change: unknown, index: number) => {
          if (index === failing) throw new Error('disk full');
        },
      };
      await expect(runUndo({ cwd, hooks })).rejects.toThrow('disk full');
      expect(await snapshotDir(cwd)).toEqual(before);
    },
  );

  it('keeps restoring the other files when one restore fails, and names the one it could not', async () => {
    const cwd = await tempProject({ 'old.txt': 'old\n', 'keep/keep.txt': 'keep\n' });
    await runGenerator(
      writer,
      { create: ['keep/one.txt', 'new/two.txt'], remove: ['old.txt'] },
      { cwd, now, format: false },
    );
    const before = await snapshotDir(cwd);
    const hooks = {
      // Steps: 0 manifest, 1 keep/one.txt, 2 new/two.txt (all deleted), 3 old.txt (restored).
      beforeCommit: async (_change: unknown, index: number) => {
        if (index !== 3) return;
        await rm(path.join(cwd, 'new'), { recursive: true });
        await writeFile(path.join(cwd, 'new'), 'a file where a directory was\n');
        throw new Error('disk full');
      },
    };
    await expect(runUndo({ cwd, hooks })).rejects.toThrow(
      /^disk full; rollback could not restore new\/two\.txt$/,
    );
    const after = await snapshotDir(cwd);
    for (const file of [MANIFEST_PATH, 'keep/one.txt', 'keep/keep.txt']) {
      expect(after[file]).toBe(before[file]);
    }
    expect(after['old.txt']).toBeUndefined();
  });
});
