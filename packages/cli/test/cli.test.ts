import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliDependencies } from '../src/cli.js';
import { noteGenerator } from './fixtures/generator.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function run(
  argv: string[],
  options: { interactive?: boolean; deps?: CliDependencies } = {},
) {
  const cwd = await mkdtemp(path.join(tmpdir(), 'svcgen-cli-'));
  dirs.push(cwd);
  return runIn(cwd, argv, options);
}

async function runIn(
  cwd: string,
  argv: string[],
  options: { interactive?: boolean; deps?: CliDependencies } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    {
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      interactive: options.interactive ?? false,
      env: {},
      cwd,
    },
    {
      generators: [
        {
          name: 'note',
          description: 'Writes a note file',
          load: () => Promise.resolve(noteGenerator),
        },
      ],
      ...options.deps,
    },
  );
  return {
    code,
    stdout: out.join('\n'),
    stderr: err.join('\n'),
    cwd,
    files: await readdir(cwd, { recursive: true }),
  };
}

describe('gen CLI', () => {
  it('lists generators with one-line descriptions', async () => {
    const result = await run(['--list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^note\s+Writes a note file$/m);
    expect(result.stdout).toMatch(/^undo\s+Revert the last generator run/m);
  });

  it('prints help derived from the options schema', async () => {
    const result = await run(['note', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: pnpm gen note <name> [options]');
    expect(result.stdout).toMatch(/--kind <plain\|fancy>\s+Kind of note \(required\)/);
    expect(result.stdout).toMatch(/--port <number>\s+A port \(default: 3000\)/);
    expect(result.stdout).toMatch(/--loud\s+Shout \(default: false\)/);
    expect(result.stdout).toContain('pnpm gen note hello --kind plain');
    expect(result.files).toEqual([]);
  });

  it('generates from flags and a positional name', async () => {
    const result = await run(['note', 'my-note', '--kind', 'plain', '--port=8080', '--loud']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('CREATE notes/my-note.txt (1 lines)');
    expect(await readFile(path.join(result.cwd, 'notes/my-note.txt'), 'utf8')).toBe(
      'MyNote on port 8080!\n',
    );
  });

  it('exits 2 without writing when a required option is missing and nobody can be asked', async () => {
    const result = await run(['note', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing required option: --kind');
    expect(result.files).toEqual([]);
  });

  it('prompts for missing required options in a terminal, and --yes turns prompts off', async () => {
    const asked: string[] = [];
    const prompt: CliDependencies['prompt'] = (missing) => {
      asked.push(...missing.map((info) => info.key));
      return Promise.resolve({ kind: 'fancy' });
    };
    const result = await run(['note', 'x'], { interactive: true, deps: { prompt } });
    expect(result.code).toBe(0);
    expect(asked).toEqual(['kind']);
    const refused = await run(['note', 'x', '--yes'], { interactive: true, deps: { prompt } });
    expect(refused.code).toBe(2);
  });

  it.each([
    [['note', 'bad name', '--kind', 'plain'], /is not allowed/],
    [['note', 'x', '--kind', 'weird'], /--kind: Invalid option/],
    [['note', 'x', '--kind', 'plain', '--port', 'abc'], /--port must be a number/],
    [['note', 'x', '--kind', 'plain', '--port', '70000'], /--port: Too big/],
    [['note', 'x', '--kind', 'plain', '--colour', 'red'], /unknown flag --colour/],
    [['note', 'x', 'y', '--kind', 'plain'], /unexpected argument "y"/],
    [['nope'], /unknown generator "nope"/],
  ])('rejects %j with exit 2 and writes nothing', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.files).toEqual([]);
  });

  it('dry-run prints the plan and writes nothing; --json gives it as JSON', async () => {
    const dry = await run(['note', 'x', '--kind', 'plain', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('CREATE notes/x.txt');
    expect(dry.stdout).toContain('dry run, nothing written');
    expect(dry.files).toEqual([]);
    const json = await run(['note', 'x', '--kind', 'plain', '--dry-run', '--json']);
    const parsed = JSON.parse(json.stdout) as {
      plan: { path: string; action: string; content?: string }[];
      written: boolean;
    };
    expect(parsed.written).toBe(false);
    expect(parsed.plan).toContainEqual({
      path: 'notes/x.txt',
      action: 'create',
      content: 'X on port 3000\n',
    });
    expect(json.files).toEqual([]);
  });

  it('a re-run is a no-op with exit 0; a changed file is a conflict (exit 1) unless --force; undo restores', async () => {
    const first = await run(['note', 'x', '--kind', 'plain']);
    const again = await runIn(first.cwd, ['note', 'x', '--kind', 'plain']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('SKIP   notes/x.txt');
    expect(again.stdout).toContain('nothing to do');

    const conflict = await runIn(first.cwd, ['note', 'x', '--kind', 'plain', '--port', '1']);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('notes/x.txt already exists with different content');
    const forced = await runIn(first.cwd, [
      'note',
      'x',
      '--kind',
      'plain',
      '--port',
      '1',
      '--force',
    ]);
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(first.cwd, 'notes/x.txt'), 'utf8')).toBe('X on port 1\n');

    await writeFile(path.join(first.cwd, 'notes/x.txt'), 'hand edit\n');
    const refused = await runIn(first.cwd, ['undo']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('notes/x.txt');
    await writeFile(path.join(first.cwd, 'notes/x.txt'), 'X on port 1\n');
    expect((await runIn(first.cwd, ['undo'])).code).toBe(0);
    expect(await readFile(path.join(first.cwd, 'notes/x.txt'), 'utf8')).toBe('X on port 3000\n');
    expect((await runIn(first.cwd, ['undo'])).code).toBe(0);
    expect((await runIn(first.cwd, ['undo'])).files).toEqual([]);
  });

  it('reports errors as JSON with --json', async () => {
    const result = await run(['note', 'x', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { message: expect.stringContaining('--kind') as unknown, exitCode: 2 },
    });
  });
});
