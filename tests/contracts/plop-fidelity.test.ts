/**
 * Fidelity: the real plop (the pinned devDependency) and `pnpm gen` run the same plopfile with the
 * same answers on copies of the same fixture, and must leave byte-identical trees (ours adds only
 * its manifest, .gen/). Each case also runs a second time on the result, as teams do.
 */
import { cp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readTree } from '@svcgen/core/testing';
import { describe, expect, it } from 'vitest';
import { genIn } from '../support/cli.js';
import { run } from '../support/process.js';
import { copyOf as copyFixture } from '../support/temp.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../packages/plop/test/fixtures');
const PLOP_BIN = path.join(
  path.dirname(createRequire(import.meta.url).resolve('plop/package.json')),
  'bin/plop.js',
);

const copyOf = (fixture: string) =>
  copyFixture(path.join(FIXTURES, fixture), `fidelity-${fixture}`);

async function plop(dir: string, plopfile: string, args: readonly string[]): Promise<void> {
  const result = await run(
    process.execPath,
    [PLOP_BIN, '--plopfile', path.join(dir, plopfile), ...args],
    {
      cwd: dir,
      env: { NODE_ENV: 'test' },
      timeoutMs: 60_000,
    },
  );
  expect(result.stderr).not.toMatch(/✖|Error/);
  expect(result.code).toBe(0);
}

async function gen(dir: string, args: readonly string[]): Promise<void> {
  const result = await genIn(dir, [...args, '--yes']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
}

async function withoutManifest(dir: string): Promise<Record<string, string>> {
  return Object.fromEntries(
    Object.entries(await readTree(dir)).filter(([file]) => !file.startsWith('.gen/')),
  );
}

interface Case {
  readonly name: string;
  readonly fixture: string;
  readonly plopfile: string;
  /** One run after another; each as plop's arguments, and ours when they differ. */
  readonly runs: readonly { readonly plop: readonly string[]; readonly gen?: readonly string[] }[];
}

const CASES: readonly Case[] = [
  {
    name: 'addMany with base, a kept-sorted barrel (modify + transform), changelog append with unique, skipIfExists',
    fixture: 'react',
    plopfile: 'plopfile.js',
    runs: [
      // Ours takes the default for "_" under --yes; plop would ask, so it gets the default spelled out.
      {
        plop: ['component', 'primary button', 'ui', 'yes', 'title,onClick', 'web-team'],
        gen: ['component', 'primary button', 'ui', 'yes', 'title,onClick', '_'],
      },
      { plop: ['component', 'Avatar', '0', 'n', 'disabled', 'design'] },
    ],
  },
  {
    name: 'skip functions, list answers by index, an empty checkbox, partials and helpers',
    fixture: 'react',
    plopfile: 'plopfile.js',
    runs: [
      {
        plop: ['component', 'Data page', '1', 'no', '', 'web-team'],
        gen: ['component', 'Data page', '1', 'no', '', '--owner', 'web-team'],
      },
    ],
  },
  {
    name: 'inline templates, action data, transform and the pkg helper',
    fixture: 'react',
    plopfile: 'plopfile.js',
    runs: [{ plop: ['hook', 'dark-mode'] }, { plop: ['hook', 'Local Storage'] }],
  },
  {
    name: 'addMany without base (globs, negation, dotfiles, stripExtensions), modify by RegExp with $1 and by transform, appends with and without a pattern, forced add, data functions',
    fixture: 'kitchen',
    plopfile: 'plopfile.mjs',
    runs: [
      { plop: ['module', 'billing api', '9090', 'yes', 's'] },
      { plop: ['module', 'Search', '7070', 'n', 'gold'] },
    ],
  },
  {
    name: 'plop corners: number answers stay text, separators count in indexes, built-ins beat custom types of their name, skipIfExists over a folder, pkg paths, plopfile.cjs before .mjs',
    fixture: 'quirks',
    plopfile: 'plopfile.cjs',
    runs: [{ plop: ['quirks', '08080', '2', 'widget'] }],
  },
  {
    name: 'plop.load() with a renaming include map and its own destBasePath',
    fixture: 'quirks',
    plopfile: 'plopfile.cjs',
    runs: [{ plop: ['renamed'] }],
  },
  {
    name: 'custom action types and function actions (they run after the staged files are written)',
    fixture: 'kitchen',
    plopfile: 'plopfile.mjs',
    runs: [{ plop: ['release', '2.0.0'] }, { plop: ['release', '2.1.0'] }],
  },
];

describe('pnpm gen writes what plop 4 writes', () => {
  for (const testCase of CASES) {
    it(testCase.name, async () => {
      const byPlop = await copyOf(testCase.fixture);
      const byGen = await copyOf(testCase.fixture);
      for (const step of testCase.runs) {
        await plop(byPlop, testCase.plopfile, step.plop);
        await gen(byGen, step.gen ?? step.plop);
      }
      const expected = await withoutManifest(byPlop);
      expect(Object.keys(expected).length).toBeGreaterThan(
        Object.keys(await readTree(path.join(FIXTURES, testCase.fixture))).length,
      );
      expect(await withoutManifest(byGen)).toEqual(expected);
    });
  }
});

describe("the plopfile API behaves like node-plop's", () => {
  const nodePlopEntry = createRequire(
    createRequire(import.meta.url).resolve('plop/package.json'),
  ).resolve('node-plop');

  it('registers the same generators, helpers, partials and action types, and renders alike', async () => {
    const { default: nodePlop } = (await import(nodePlopEntry)) as {
      default: (file: string, config?: object) => Promise<PlopApi>;
    };
    const { loadPlopSource } = await import('@svcgen/plop');
    const dir = await copyOf('kitchen');
    await cp(path.join(FIXTURES, 'react/plopfile.js'), path.join(dir, 'react.plopfile.js'));
    for (const file of ['plopfile.mjs', 'react.plopfile.js']) {
      const theirs = await nodePlop(path.join(dir, file));
      const ours = (await loadPlopSource({
        kind: 'plopfile',
        file: path.join(dir, file),
        root: dir,
      })) as unknown as PlopApi;
      for (const list of [
        'getGeneratorList',
        'getHelperList',
        'getPartialList',
        'getActionTypeList',
      ] as const) {
        expect(ours[list]()).toEqual(theirs[list]());
      }
      expect(ours.getPlopfilePath()).toBe(theirs.getPlopfilePath());
      expect(ours.getDestBasePath()).toBe(theirs.getDestBasePath());
      const helpers = [
        'camelCase',
        'snakeCase',
        'dotCase',
        'pathCase',
        'lowerCase',
        'upperCase',
        'sentenceCase',
        'constantCase',
        'titleCase',
        'dashCase',
        'kabobCase',
        'kebabCase',
        'properCase',
        'pascalCase',
      ];
      for (const input of [
        'primary button',
        'XMLHttpRequest v2',
        'already-kebab_and_snake',
        '  Ünïcode names  ',
        'a.b/c d',
        "it's <b>&</b>",
      ]) {
        const template = `${helpers.map((helper) => `{{${helper} value}}`).join('|')}|{{pkg 'name'}}|{{{value}}}`;
        expect(ours.renderString(template, { value: input })).toBe(
          theirs.renderString(template, { value: input }),
        );
      }
    }
  });
});

interface PlopApi {
  getGeneratorList(): unknown;
  getHelperList(): unknown;
  getPartialList(): unknown;
  getActionTypeList(): unknown;
  getPlopfilePath(): string;
  getDestBasePath(): string;
  renderString(template: string, data: unknown): string;
}
