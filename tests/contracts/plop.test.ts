/**
 * Plop generators in `pnpm gen`: discovery, prompts as flags, and everything the engine gives the
 * built-ins (dry run with diffs, --json, conflicts, atomic apply, idempotent re-runs, undo).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readTree } from '@svcgen/core/testing';
import { describe, expect, it } from 'vitest';
import { genIn } from '../support/cli.js';
import { run } from '../support/process.js';
import { copyOf as copyFixture, tempDir } from '../support/temp.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../packages/plop/test/fixtures');

const copyOf = (fixture: string) => copyFixture(path.join(FIXTURES, fixture), `plop-${fixture}`);

async function plopfileProject(source: string): Promise<string> {
  const dir = await tempDir('plop-inline');
  await writeFile(path.join(dir, 'plopfile.mjs'), source);
  return dir;
}

const gen = (cwd: string, argv: readonly string[]) => genIn(cwd, [...argv, '--yes']);

const COMPONENT = ['component', 'primary button', 'ui', 'yes', 'title'];

describe('finding plop generators', () => {
  it('lists them beside the built-ins with their description and file, and --help shows their flags', async () => {
    const dir = await copyOf('react');
    await mkdir(path.join(dir, 'src/deep'), { recursive: true });
    const list = await gen(path.join(dir, 'src/deep'), ['--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^service\s+A runnable/m);
    expect(list.stdout).toMatch(
      new RegExp(
        `^component\\s+A React component with its test, story and styles\\s+\\(${path.join(dir, 'plopfile.js').replaceAll('/', '\\/')}\\)$`,
        'm',
      ),
    );
    const help = await gen(dir, ['component', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'Usage: pnpm gen component [name] [kind] [with-story] [props] [owner] [options]',
    );
    expect(help.stdout).toMatch(/--name <value>\s+Component name/);
    expect(help.stdout).toMatch(
      /--kind <value>\s+What kind of component \(ui \| page; default: "ui"\)/,
    );
    expect(help.stdout).toMatch(/--with-story\s+Add a Storybook story\? \(default: true\)/);
    expect(help.stdout).toMatch(
      /--props <value>\s+Props \(comma list of title, onClick, disabled; default: \[\]\)/,
    );
  });

  it('keeps built-in names for the built-ins; a plop generator of that name is plop:<name>', async () => {
    const dir = await plopfileProject(`export default (plop) => {
  plop.setGenerator('service', { description: 'our own', prompts: [], actions: [{ type: 'add', path: 'mine.txt', template: 'mine\\n' }] });
};
`);
    const list = await gen(dir, ['--list']);
    expect(list.stdout).toMatch(/^plop:service\s+our own/m);
    expect((await gen(dir, ['service', '--help'])).stdout).toContain('Express 5 or Fastify 5');
    const ran = await gen(dir, ['plop:service']);
    expect(ran.code).toBe(0);
    expect(await readFile(path.join(dir, 'mine.txt'), 'utf8')).toBe('mine\n');
  });

  it('loads turbo/generators/config.ts (TypeScript, PlopTypes) from the repository root and gives it turbo.paths', async () => {
    const dir = await copyOf('turbo');
    const start = path.join(dir, 'packages/ui/src');
    const list = await gen(start, ['--list']);
    expect(list.stdout).toMatch(/^package\s+A new workspace package under packages\//m);
    const result = await gen(start, ['package', 'data-grid', '--no-private']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const pkg = JSON.parse(
      await readFile(path.join(dir, 'packages/data-grid/package.json'), 'utf8'),
    ) as { name: string; private: boolean };
    expect(pkg).toEqual({ name: '@acme/data-grid', version: '0.0.0', private: false });
    expect(await readFile(path.join(dir, 'packages/data-grid/GENERATED.md'), 'utf8')).toBe(
      `MADE FROM ${start} IN ${dir} (${dir}).\n`.toUpperCase(),
    );
    expect(existsSync(path.join(dir, '.gen/manifest.json'))).toBe(true);
    expect(existsSync(path.join(start, 'packages'))).toBe(false);
  });

  it('writes where plop would, against the plopfile folder, when --cwd is below it', async () => {
    const dir = await copyOf('react');
    const below = path.join(dir, 'src/components');
    const result = await gen(below, ['hook', 'theme']);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(dir, 'src/hooks/useTheme.ts'))).toBe(true);
    expect(existsSync(path.join(dir, '.gen/manifest.json'))).toBe(true);
    expect(existsSync(path.join(below, 'src'))).toBe(false);
  });
});

describe('answers', () => {
  it('takes flags by prompt name and defaults under --yes; a missing one is exit 2 naming its flag', async () => {
    const dir = await copyOf('react');
    const missing = await gen(dir, ['component']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'error: missing answer: --name (Component name); run "gen component --help" for usage',
    );
    const result = await gen(dir, [
      'component',
      '--name',
      'Card',
      '--no-with-story',
      '--props',
      'title,disabled',
    ]);
    expect(result.code).toBe(0);
    const card = await readFile(path.join(dir, 'src/components/Card/Card.tsx'), 'utf8');
    expect(card).toContain('  title?: unknown;\n  disabled?: unknown;\n');
    expect(card).toContain('data-owner="web-team"');
    expect(existsSync(path.join(dir, 'src/components/Card/Card.stories.tsx'))).toBe(false);
  });

  it('runs validate on flags and arguments (exit 2 with its message), and rejects unknown choices', async () => {
    const dir = await copyOf('react');
    const before = await readTree(dir);
    const invalid = await gen(dir, ['component', '--name', '9 lives']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toBe('error: --name: Use letters, digits, spaces or dashes');
    const choice = await gen(dir, ['component', 'Card', 'widget']);
    expect(choice.code).toBe(2);
    expect(choice.stderr).toBe('error: --kind: no choice "widget"; choose from ui, page');
    const twice = await gen(dir, ['component', 'Card', '--name', 'Card']);
    expect(twice.stderr).toBe('error: --name is given both as a flag and as argument 1');
    expect(await readTree(dir)).toEqual(before);
  });

  it('applies when: a prompt that does not apply is not asked, and a flag for it is refused', async () => {
    const dir = await plopfileProject(`export default (plop) => {
  plop.setGenerator('db', {
    prompts: [
      { type: 'confirm', name: 'useDb', message: 'Database?', default: false },
      { type: 'input', name: 'dbName', message: 'Database name', when: (answers) => answers.useDb },
    ],
    actions: [{ type: 'add', path: 'db.txt', template: '{{useDb}} {{dbName}}\\n' }],
  });
};
`);
    const refused = await gen(dir, ['db', '--db-name', 'shop']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `error: --db-name does not apply to these answers (its prompt's "when" is false)`,
    );
    const missing = await gen(dir, ['db', '--use-db']);
    expect(missing.stderr).toContain('missing answer: --db-name');
    expect((await gen(dir, ['db', 'yes', 'shop'])).code).toBe(0);
    expect(await readFile(path.join(dir, 'db.txt'), 'utf8')).toBe('true shop\n');
  });

  it("answers a prompt named like one of pnpm gen's flags by position only; the flag keeps its meaning", async () => {
    const dir = await plopfileProject(`export default (plop) => {
  plop.setGenerator('flags', {
    prompts: [{ type: 'input', name: 'force', message: 'How hard' }],
    actions: [{ type: 'add', path: 'force.txt', template: '{{force}}\\n' }],
  });
};
`);
    expect((await gen(dir, ['flags', '--help'])).stdout).not.toMatch(/--force <value>/);
    const missing = await gen(dir, ['flags']);
    expect(missing.stderr).toContain('missing answer: argument 1 (How hard)');
    expect((await gen(dir, ['flags', 'gently'])).code).toBe(0);
    expect(await readFile(path.join(dir, 'force.txt'), 'utf8')).toBe('gently\n');
    // --force is still pnpm gen's: it overwrites the different file.
    expect((await gen(dir, ['flags', 'firmly', '--force'])).code).toBe(0);
    expect(await readFile(path.join(dir, 'force.txt'), 'utf8')).toBe('firmly\n');
  });

  it('refuses prompts written as a function without a terminal (exit 2)', async () => {
    const dir = await plopfileProject(`export default (plop) => {
  plop.setGenerator('custom', { prompts: async (inquirer) => inquirer.prompt([{ name: 'x' }]), actions: [] });
};
`);
    const result = await gen(dir, ['custom']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('asks its questions in code');
  });
});

describe('the engine under plop generators', () => {
  it("--dry-run writes nothing and shows every change with diffs; --json has the built-ins' shape", async () => {
    const dir = await copyOf('react');
    const before = await readTree(dir);
    const dry = await gen(dir, [...COMPONENT, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^CREATE src\/components\/PrimaryButton\/PrimaryButton\.tsx \(\d+ lines\)$/m,
    );
    expect(dry.stdout).toMatch(/^UPDATE src\/components\/index\.ts$/m);
    expect(dry.stdout).toContain("+export { PrimaryButton } from './PrimaryButton/PrimaryButton';");
    expect(dry.stdout).toContain('+- Added Primary Button (ui, owned by web-team)');
    expect(await readTree(dir)).toEqual(before);
    const json = await gen(dir, [...COMPONENT, '--dry-run', '--json']);
    const plan = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(plan).sort()).toEqual([
      'deferred',
      'dryRun',
      'generator',
      'nextSteps',
      'plan',
      'written',
    ]);
    expect(await readTree(dir)).toEqual(before);
  });

  it('a failing action writes nothing (exit 1, the action named), where plop leaves the files before it', async () => {
    const byGen = await copyOf('react');
    await rm(path.join(byGen, 'CHANGELOG.md'));
    const before = await readTree(byGen);
    const result = await gen(byGen, COMPONENT);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: plop action #6 (append) of "component" failed: File does not exist (and 1 more); nothing was written',
    );
    expect(await readTree(byGen)).toEqual(before);

    const byPlop = await copyOf('react');
    await rm(path.join(byPlop, 'CHANGELOG.md'));
    const plopBin = path.join(
      path.dirname(createRequire(import.meta.url).resolve('plop/package.json')),
      'bin/plop.js',
    );
    await run(
      process.execPath,
      [plopBin, '--plopfile', path.join(byPlop, 'plopfile.js'), ...COMPONENT, 'web-team'],
      {
        cwd: byPlop,
        env: { NODE_ENV: 'test' },
      },
    );
    expect(Object.keys(await readTree(byPlop))).toContain(
      'src/components/PrimaryButton/PrimaryButton.tsx',
    );
  });

  it('abortOnFail: false still checks the later actions, but a run with a failure writes nothing', async () => {
    const dir = await plopfileProject(`export default (plop) => {
  plop.setGenerator('lenient', {
    prompts: [],
    actions: [
      { type: 'modify', path: 'missing.txt', pattern: /x/, template: 'y', abortOnFail: false },
      { type: 'add', path: 'kept.txt', template: 'k\\n' },
      { type: 'append', path: 'also-missing.txt', template: 'y' },
      { type: 'add', path: 'never.txt', template: 'n\\n' },
    ],
  });
};
`);
    const before = await readTree(dir);
    const result = await gen(dir, ['lenient']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: plop action #1 (modify) of "lenient" failed: File does not exist (and 2 more); nothing was written',
    );
    expect(await readTree(dir)).toEqual(before);
  });

  it('an identical re-run is a no-op (exit 0, every file SKIP) where plop fails; a different one is refused unless --force', async () => {
    const dir = await copyOf('react');
    expect((await gen(dir, ['hook', 'theme'])).code).toBe(0);
    const first = await readTree(dir);
    const again = await gen(dir, ['hook', 'theme']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^SKIP {3}src\/hooks\/useTheme\.ts$/m);
    expect(await readTree(dir)).toEqual(first);
    await writeFile(path.join(dir, 'src/hooks/useTheme.ts'), '// mine now\n');
    const edited = await readTree(dir);
    const refused = await gen(dir, ['hook', 'theme']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('src/hooks/useTheme.ts already exists with different content');
    expect(await readTree(dir)).toEqual(edited);
    expect((await gen(dir, ['hook', 'theme', '--force'])).code).toBe(0);
    expect(await readFile(path.join(dir, 'src/hooks/useTheme.ts'), 'utf8')).toContain(
      'export function useTheme()',
    );
  });

  it('gen undo reverts a plop run, modified files included', async () => {
    const dir = await copyOf('react');
    const before = await readTree(dir);
    expect((await gen(dir, COMPONENT)).code).toBe(0);
    expect(await readTree(dir)).not.toEqual(before);
    const undone = await gen(dir, ['undo']);
    expect(undone.code).toBe(0);
    expect(await readTree(dir)).toEqual(before);
  });

  it('custom and function actions: listed on a dry run, run after the write, and named as not undoable', async () => {
    const dir = await copyOf('kitchen');
    const dry = await gen(dir, ['release', '3.0.0', '--dry-run']);
    expect(dry.stdout).toContain(
      'RUN    announce action #2 (would run after the files are written; undo cannot revert it)',
    );
    expect(dry.stdout).toContain(
      'RUN    function action #3 (stamp) (would run after the files are written; undo cannot revert it)',
    );
    expect(existsSync(path.join(dir, 'announcements.log'))).toBe(false);
    const ran = await gen(dir, ['release', '3.0.0']);
    expect(ran.stdout).toContain('RAN    announce action #2: announced 3.0.0 on releases');
    // The function action saw the staged append already on disk.
    expect(await readFile(path.join(dir, 'announcements.log'), 'utf8')).toBe(
      'releases: 3.0.0\nstamp: 3.0.0 true\n',
    );
    const manifest = JSON.parse(await readFile(path.join(dir, '.gen/manifest.json'), 'utf8')) as {
      runs: { notUndoable?: string[] }[];
    };
    expect(manifest.runs[0]?.notUndoable).toEqual([
      'announce action #2',
      'function action #3 (stamp)',
    ]);
    const undone = await gen(dir, ['undo']);
    expect(undone.stdout).toContain('undo cannot revert');
    expect(await readFile(path.join(dir, 'docs/modules.md'), 'utf8')).not.toContain('Released');
  });

  it("formats with Prettier only when asked (--format), so by default the bytes are plop's", async () => {
    const dir = await plopfileProject(`export default (plop) => {
  plop.setGenerator('ugly', { prompts: [], actions: [{ type: 'add', path: 'ugly.ts', template: 'export const  x = {a:1}\\n' }] });
};
`);
    expect((await gen(dir, ['ugly'])).code).toBe(0);
    expect(await readFile(path.join(dir, 'ugly.ts'), 'utf8')).toBe('export const  x = {a:1}\n');
    expect((await gen(dir, ['ugly', '--format', '--force'])).code).toBe(0);
    expect(await readFile(path.join(dir, 'ugly.ts'), 'utf8')).toBe('export const x = { a: 1 };\n');
  });

  it('never writes outside the plopfile folder', async () => {
    const dir = await plopfileProject(`export default (plop) => {
  plop.setGenerator('escape', { prompts: [], actions: [{ type: 'add', path: '../escaped.txt', template: 'x' }] });
};
`);
    const result = await gen(dir, ['escape']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to write outside');
    expect(existsSync(path.join(dir, '../escaped.txt'))).toBe(false);
  });
});
