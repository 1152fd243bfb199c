import { readFileSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { migrateDiffCommand } from '@svcgen/core';
import {
  cliBin,
  gen,
  log,
  repoRoot,
  run,
  runOk,
  summarize,
  tempDir,
  type Summary,
} from './util.js';

export interface GenerationRow {
  readonly key: string;
  readonly label: string;
  readonly command: string;
  readonly summary: Summary;
}

export interface GrowthPoint {
  /** This was the n-th resource added to the service. */
  readonly n: number;
  /** Median of dry runs of the n-th resource, just before it was written (one sample is noise). */
  readonly ms: number;
  /** The one real (writing) run that added it. */
  readonly writeMs: number;
  readonly appTsLines: number;
  readonly schemaLines: number;
}

export interface GenerationResult {
  readonly rows: GenerationRow[];
  readonly growth: GrowthPoint[];
}

export interface GenerationSettings {
  readonly runs: number;
  /** Resources added one after another to one service; the points reported are 1, 10 and last. */
  readonly growthTo: number;
  /** An installed service, for timing the post-step that calls Prisma (`pnpm run db:generate`). */
  readonly installedService?: string | undefined;
  /** Skips rows no target needs (pnpm gen's own start-up, plop and hygen). */
  readonly quick: boolean;
}

/** Rows left out of --quick (CI's smoke run, < 3 minutes): informative ones and two variants. */
const QUICK_SKIPS = new Set([
  'dry-run-no-format',
  'dry-run-no-cache',
  'jwt-dry-run-no-format',
  'pnpm-start',
  'cli-help',
  'service-dry-run',
  'pnpm-dry-run',
  'migrate-diff',
  'migrate-diff-cli',
  'db-generate',
  'plop',
  'hygen',
]);

const FIELDS =
  'reference:string:max=40:unique total:decimal:min=0 status:enum(draft|sent|paid):default=draft dueOn:date? notes:text?';

/** Cold process timings: each command runs `runs` times, every run a new process. */
async function time(
  runs: number,
  prepare: (
    index: number,
  ) => Promise<{ command: string; args: string[]; cwd: string; env?: Record<string, string> }>,
): Promise<Summary> {
  const samples: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const { command, args, cwd, env } = await prepare(index);
    const result = await run(command, args, { cwd, env: { INIT_CWD: cwd, ...env } });
    if (result.code !== 0) {
      throw new Error(
        `${command} ${args.join(' ')} exited ${String(result.code)}:\n${result.stderr}`,
      );
    }
    samples.push(result.ms);
  }
  return summarize(samples);
}

export async function benchGeneration(settings: GenerationSettings): Promise<GenerationResult> {
  const { runs } = settings;
  const work = await tempDir('gen');
  const base = path.join(work, 'base');
  await mkdir(base);
  log('generation: a Fastify service with jwt-auth to add resources to');
  await gen(['service', 'shop', '--framework', 'fastify', '--dir', '.', '--no-format'], base);
  // The same service before jwt-auth, for timing jwt-auth itself.
  const bare = path.join(work, 'bare');
  await cp(base, bare, { recursive: true });
  await gen(['jwt-auth', '--service', './shop', '--no-format'], base);

  const resourceArgs = (name: string) => [
    'api-resource',
    name,
    '--service',
    './shop',
    '--fields',
    FIELDS,
  ];
  const rows: GenerationRow[] = [];
  const add = async (
    key: string,
    label: string,
    command: string,
    prepare: Parameters<typeof time>[1],
  ) => {
    if (settings.quick && QUICK_SKIPS.has(key)) return;
    log(`generation: ${label} x${String(runs)}`);
    rows.push({ key, label, command, summary: await time(runs, prepare) });
  };
  const node = process.execPath;

  await add('node', 'node -e 0 (the floor)', 'node -e 0', () =>
    Promise.resolve({ command: node, args: ['-e', '0'], cwd: base }),
  );
  await add('pnpm-start', 'pnpm start-up (what `pnpm gen` adds)', 'pnpm exec node -e 0', () =>
    Promise.resolve({ command: 'pnpm', args: ['exec', 'node', '-e', '0'], cwd: repoRoot }),
  );
  await add('help', 'svcgen --help', 'svcgen --help', () =>
    Promise.resolve({ command: node, args: [cliBin, '--help'], cwd: base }),
  );
  await add('list', 'svcgen --list', 'svcgen --list', () =>
    Promise.resolve({ command: node, args: [cliBin, '--list'], cwd: base }),
  );
  await add('cli-help', 'svcgen api-resource --help', 'svcgen api-resource --help', () =>
    Promise.resolve({ command: node, args: [cliBin, 'api-resource', '--help'], cwd: base }),
  );

  // service: into a fresh empty directory per run.
  const serviceArgs = ['service', 'billing', '--framework', 'fastify', '--dir', '.'];
  const fresh = async (prefix: string, index: number) => {
    const dir = path.join(work, `${prefix}-${String(index)}`);
    await mkdir(dir, { recursive: true });
    return dir;
  };
  await add(
    'service-dry-run',
    'svcgen service --dry-run',
    `svcgen ${serviceArgs.join(' ')} --dry-run`,
    async (index) => ({
      command: node,
      args: [cliBin, ...serviceArgs, '--dry-run'],
      cwd: await fresh('service-dry', index),
    }),
  );
  await add(
    'service-write',
    'svcgen service (writes, --no-format)',
    `svcgen ${serviceArgs.join(' ')} --no-format`,
    async (index) => ({
      command: node,
      args: [cliBin, ...serviceArgs, '--no-format'],
      cwd: await fresh('service-raw', index),
    }),
  );
  await add(
    'service-write-format',
    'svcgen service (writes, formatted)',
    `svcgen ${serviceArgs.join(' ')}`,
    async (index) => ({
      command: node,
      args: [cliBin, ...serviceArgs],
      cwd: await fresh('service-fmt', index),
    }),
  );

  // api-resource into the service with jwt-auth: dry-runs there, real runs into a fresh copy each.
  const copyOf = async (from: string, prefix: string, index: number) => {
    const copy = path.join(work, `${prefix}-${String(index)}`);
    await cp(from, copy, { recursive: true });
    return copy;
  };
  await add(
    'dry-run',
    'svcgen api-resource --dry-run',
    `svcgen ${resourceArgs('invoice').join(' ')} --dry-run`,
    () =>
      Promise.resolve({
        command: node,
        args: [cliBin, ...resourceArgs('invoice'), '--dry-run'],
        cwd: base,
      }),
  );
  // The CLI keeps V8's compiled code in Node's compile cache; the first run after an install (or
  // with the cache disabled) compiles everything, as this row does every time.
  await add(
    'dry-run-no-cache',
    'svcgen api-resource --dry-run, no compile cache (first run after install)',
    `NODE_DISABLE_COMPILE_CACHE=1 svcgen ${resourceArgs('invoice').join(' ')} --dry-run`,
    () =>
      Promise.resolve({
        command: node,
        args: [cliBin, ...resourceArgs('invoice'), '--dry-run'],
        cwd: base,
        env: { NODE_DISABLE_COMPILE_CACHE: '1' },
      }),
  );
  await add(
    'dry-run-no-format',
    'svcgen api-resource --dry-run --no-format',
    `svcgen ${resourceArgs('invoice').join(' ')} --dry-run --no-format`,
    () =>
      Promise.resolve({
        command: node,
        args: [cliBin, ...resourceArgs('invoice'), '--dry-run', '--no-format'],
        cwd: base,
      }),
  );
  if (!settings.quick) {
    await add(
      'pnpm-dry-run',
      'pnpm gen api-resource --dry-run',
      'pnpm gen api-resource … --dry-run --cwd <dir>',
      () =>
        Promise.resolve({
          command: 'pnpm',
          args: ['--silent', 'gen', ...resourceArgs('invoice'), '--dry-run', '--cwd', base],
          cwd: repoRoot,
        }),
    );
  }
  let lastCopy = '';
  await add(
    'write',
    'svcgen api-resource (writes, --no-format)',
    `svcgen ${resourceArgs('invoice').join(' ')} --no-format`,
    async (index) => {
      // A fresh copy per run (not timed): the resource must not exist yet.
      lastCopy = await copyOf(base, 'write', index);
      return {
        command: node,
        args: [cliBin, ...resourceArgs('invoice'), '--no-format'],
        cwd: lastCopy,
      };
    },
  );
  await add(
    'write-format',
    'svcgen api-resource (writes, formatted)',
    `svcgen ${resourceArgs('invoice').join(' ')}`,
    async (index) => ({
      command: node,
      args: [cliBin, ...resourceArgs('invoice')],
      cwd: await copyOf(base, 'write-fmt', index),
    }),
  );

  // jwt-auth into a service without it.
  const jwtArgs = ['jwt-auth', '--service', './shop'];
  await add(
    'jwt-dry-run',
    'svcgen jwt-auth --dry-run',
    `svcgen ${jwtArgs.join(' ')} --dry-run`,
    () => Promise.resolve({ command: node, args: [cliBin, ...jwtArgs, '--dry-run'], cwd: bare }),
  );
  await add(
    'jwt-dry-run-no-format',
    'svcgen jwt-auth --dry-run --no-format',
    `svcgen ${jwtArgs.join(' ')} --dry-run --no-format`,
    () =>
      Promise.resolve({
        command: node,
        args: [cliBin, ...jwtArgs, '--dry-run', '--no-format'],
        cwd: bare,
      }),
  );
  await add(
    'jwt-write',
    'svcgen jwt-auth (writes, --no-format)',
    `svcgen ${jwtArgs.join(' ')} --no-format`,
    async (index) => ({
      command: node,
      args: [cliBin, ...jwtArgs, '--no-format'],
      cwd: await copyOf(bare, 'jwt-raw', index),
    }),
  );
  await add(
    'jwt-write-format',
    'svcgen jwt-auth (writes, formatted)',
    `svcgen ${jwtArgs.join(' ')}`,
    async (index) => ({
      command: node,
      args: [cliBin, ...jwtArgs],
      cwd: await copyOf(bare, 'jwt-fmt', index),
    }),
  );

  // NestJS's own generator, in a minimal Nest project (made once, not timed).
  const nest = await nestProject(work);
  await add(
    'nest-resource',
    'nest g resource (dry-run)',
    `nest ${NEST_RESOURCE_ARGS.join(' ')}`,
    () =>
      Promise.resolve({ command: node, args: [nest.bin, ...NEST_RESOURCE_ARGS], cwd: nest.dir }),
  );

  // The migration SQL from two schemas, inside every api-resource run.
  const diffDir = path.join(work, 'diff');
  await mkdir(diffDir);
  await writeFile(
    path.join(diffDir, 'before.prisma'),
    await readFile(path.join(base, 'shop/prisma/schema.prisma')),
  );
  await writeFile(
    path.join(diffDir, 'after.prisma'),
    await readFile(path.join(lastCopy, 'shop/prisma/schema.prisma')),
  );
  const engine = pathToFileURL(createRequire(import.meta.url).resolve('@svcgen/core')).href;
  await add(
    'migrate-diff',
    "… of which: the migration diff (Prisma's engine in-process; a cold node process)",
    'diffSchemas(before, after) from @svcgen/core',
    () =>
      Promise.resolve({
        command: node,
        args: [
          '--input-type=module',
          '-e',
          `import { readFileSync as r } from 'node:fs'; const { diffSchemas } = await import(${JSON.stringify(engine)}); process.stdout.write(await diffSchemas(r('before.prisma', 'utf8'), r('after.prisma', 'utf8')));`,
        ],
        cwd: diffDir,
      }),
  );
  const cli = migrateDiffCommand();
  await add(
    'migrate-diff-cli',
    'prisma migrate diff, the CLI (what the generator ran before)',
    'prisma migrate diff --from-schema --to-schema --script',
    () => Promise.resolve({ ...cli, cwd: diffDir }),
  );

  if (settings.installedService !== undefined) {
    const cwd = settings.installedService;
    await add('db-generate', 'post-step: pnpm run db:generate', 'pnpm run db:generate', () =>
      Promise.resolve({ command: 'pnpm', args: ['run', 'db:generate'], cwd }),
    );
  }

  // Other generators, each with a one-file generator of their own, in a fresh directory per run.
  const plop = await competitorSetup(work);
  if (!settings.quick) {
    await add('plop', 'plop, one-file generator', 'plop resource invoice', async (index) => {
      const cwd = await plop.runDir(index);
      return {
        command: node,
        args: [plop.plopBin, '--plopfile', plop.plopfile, '--dest', cwd, 'resource', 'invoice'],
        cwd,
      };
    });
    await add(
      'hygen',
      'hygen, one-file generator',
      'hygen resource new --name invoice',
      async (index) => {
        const cwd = await plop.runDir(1000 + index);
        await cp(plop.hygenTemplates, path.join(cwd, '_templates'), { recursive: true });
        return {
          command: node,
          args: [plop.hygenBin, 'resource', 'new', '--name', 'invoice'],
          cwd,
        };
      },
    );
  }

  // Growth: resources added one after another to one service.
  log(`generation: growth, ${String(settings.growthTo)} resources into one service`);
  const growDir = path.join(work, 'grow');
  await cp(base, growDir, { recursive: true });
  const growth: GrowthPoint[] = [];
  const report = new Set([1, 10, settings.growthTo]);
  for (let n = 1; n <= settings.growthTo; n += 1) {
    const args = [cliBin, ...resourceArgs(`item${String(n)}`), '--no-format'];
    const dryRuns = report.has(n)
      ? await time(Math.min(runs, 5), () =>
          Promise.resolve({ command: node, args: [...args, '--dry-run'], cwd: growDir }),
        )
      : undefined;
    const result = await runOk(node, args, { cwd: growDir, env: { INIT_CWD: growDir } });
    if (dryRuns !== undefined) {
      const lines = async (file: string) =>
        (await readFile(path.join(growDir, 'shop', file), 'utf8')).split('\n').length;
      growth.push({
        n,
        ms: dryRuns.median,
        writeMs: result.ms,
        appTsLines: await lines('src/app.ts'),
        schemaLines: await lines('prisma/schema.prisma'),
      });
    }
  }
  return { rows, growth };
}

/**
 * `nest g resource` with every answer given: REST, CRUD entry points, no spec files, dry-run (it
 * prints the files it would create and the app.module.ts / package.json updates, as our --dry-run
 * prints its plan). stdin is /dev/null, so a prompt would fail rather than wait.
 */
export const NEST_RESOURCE_ARGS = [
  'g',
  'resource',
  'invoice',
  '--type',
  'rest',
  '--crud',
  '--no-spec',
  '--dry-run',
];

/** A minimal Nest project: package.json, nest-cli.json and the AppModule `nest new` writes. */
async function nestProject(work: string): Promise<{ dir: string; bin: string }> {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('@nestjs/cli/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  const relative = bin.nest;
  if (relative === undefined) throw new Error('@nestjs/cli has no nest bin');
  const dir = path.join(work, 'nest-project');
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'nest-project', version: '0.0.1', private: true, dependencies: {} }, null, 2)}\n`,
  );
  await writeFile(
    path.join(dir, 'nest-cli.json'),
    `${JSON.stringify({ collection: '@nestjs/schematics', sourceRoot: 'src' }, null, 2)}\n`,
  );
  await writeFile(
    path.join(dir, 'src/app.module.ts'),
    [
      "import { Module } from '@nestjs/common';",
      '',
      '@Module({',
      '  imports: [],',
      '  controllers: [],',
      '  providers: [],',
      '})',
      'export class AppModule {}',
      '',
    ].join('\n'),
  );
  return { dir, bin: path.join(path.dirname(manifest), relative) };
}

interface Competitors {
  readonly plopBin: string;
  readonly plopfile: string;
  readonly hygenBin: string;
  readonly hygenTemplates: string;
  runDir(index: number): Promise<string>;
}

/** The same one-file generator (a small TypeScript module from a template) for plop and hygen. */
async function competitorSetup(work: string): Promise<Competitors> {
  const require = createRequire(import.meta.url);
  const binOf = (pkg: string, bin: string) => {
    const manifest = require.resolve(`${pkg}/package.json`);
    const { bin: bins } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      bin: string | Record<string, string>;
    };
    const relative = typeof bins === 'string' ? bins : bins[bin];
    if (relative === undefined) throw new Error(`${pkg} has no bin ${bin}`);
    return path.join(path.dirname(manifest), relative);
  };
  const dir = path.join(work, 'competitors');
  await mkdir(path.join(dir, 'plop-templates'), { recursive: true });
  const template = [
    'export interface {{pascalCase name}} {',
    '  id: string;',
    '  number: string;',
    '  total: string;',
    '}',
    '',
    'export function create{{pascalCase name}}(number: string, total: string): {{pascalCase name}} {',
    '  return { id: crypto.randomUUID(), number, total };',
    '}',
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'plop-templates/resource.ts.hbs'), template);
  const plopfile = path.join(dir, 'plopfile.mjs');
  await writeFile(
    plopfile,
    [
      'export default function (plop) {',
      "  plop.setGenerator('resource', {",
      "    prompts: [{ type: 'input', name: 'name', message: 'name' }],",
      '    actions: [',
      "      { type: 'add', path: 'src/{{kebabCase name}}.ts', templateFile: 'plop-templates/resource.ts.hbs' },",
      '    ],',
      '  });',
      '}',
      '',
    ].join('\n'),
  );
  const hygenTemplates = path.join(dir, 'hygen/_templates');
  await mkdir(path.join(hygenTemplates, 'resource/new'), { recursive: true });
  await writeFile(
    path.join(hygenTemplates, 'resource/new/resource.ts.ejs.t'),
    [
      '---',
      'to: src/<%= name %>.ts',
      '---',
      ...template.replaceAll('{{pascalCase name}}', '<%= h.changeCase.pascal(name) %>').split('\n'),
    ].join('\n'),
  );
  return {
    plopBin: binOf('plop', 'plop'),
    plopfile,
    hygenBin: binOf('hygen', 'hygen'),
    hygenTemplates,
    async runDir(index) {
      const runDir = path.join(dir, `run-${String(index)}`);
      await mkdir(runDir, { recursive: true });
      return runDir;
    },
  };
}
