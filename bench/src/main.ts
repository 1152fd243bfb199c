/**
 * `pnpm bench [--quick] [--only generation,throughput,tests]`: generation speed, generated-service
 * throughput against raw baselines, and the generated test suite's time, in one run on one machine.
 * The full run writes bench/results/latest.{md,json,svg}; --quick writes quick.* (not committed).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { useSchemaEngineStandIn } from '@svcgen/core/testing';
import { benchGeneration, type GenerationResult } from './generation.js';
import {
  benchTestSuite,
  benchThroughput,
  ENDPOINT_KEYS,
  FRAMEWORKS,
  prepareServices,
  serverVersion,
  type Services,
  type SuiteResult,
  type ThroughputResult,
} from './http.js';
import { loadGenerator } from './load.js';
import { chart, checkTargets, markdown, type BenchResult, type Machine } from './report.js';
import { benchDir, cleanupAll, handleSignals, interrupted, log, runOk, tempDir } from './util.js';

/**
 * wrk connections: 20, as in issue #16's independent measurement. Twice the pg pool (10, Prisma's
 * adapter and the baselines alike), so every server has a queue of requests waiting for a
 * connection and stays busy, while the latency still means something on 2 cores.
 */
const CONNECTIONS = 20;

const QUICK_TARGETS = [
  'raw-named',
  'fastify-prisma',
  'express-prisma',
  'nest-fastify',
  'nest-express',
  'fastify-generated',
  'express-generated',
];

const PARTS = ['generation', 'throughput', 'tests'] as const;
type Part = (typeof PARTS)[number];

interface Args {
  readonly quick: boolean;
  readonly parts: ReadonlySet<Part>;
}

function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let parts: Set<Part> | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--quick') quick = true;
    else if (arg === '--only' || arg?.startsWith('--only=') === true) {
      const value = arg === '--only' ? argv[(index += 1)] : arg.slice('--only='.length);
      const wanted = (value ?? '').split(',').filter((item) => item !== '');
      const unknown = wanted.filter((item) => !(PARTS as readonly string[]).includes(item));
      if (wanted.length === 0 || unknown.length > 0) {
        throw new UsageError(`--only takes a comma-separated list of: ${PARTS.join(', ')}`);
      }
      parts = new Set(wanted as Part[]);
    } else if (arg === '--help') {
      throw new UsageError('');
    } else if (arg !== '--') {
      throw new UsageError(`unknown argument ${String(arg)}`);
    }
  }
  // --quick (CI's smoke run, < 3 minutes) leaves the generated test suite out unless asked for:
  // CI runs those tests on their own, and their ~30 s would not fit.
  parts ??= new Set<Part>(quick ? ['generation', 'throughput'] : PARTS);
  return { quick, parts };
}

class UsageError extends Error {}

const USAGE = `Usage: pnpm bench [--quick] [--only generation,throughput,tests]

  --quick   fewer runs and shorter loads, no test suite unless --only asks (under 3 minutes);
            writes bench/results/quick.*
  --only    run only these parts

Needs PostgreSQL at DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres): the bench
creates and drops a database of its own there.`;

async function machine(): Promise<Machine> {
  const pnpm = await runOk('pnpm', ['--version'], { cwd: benchDir });
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    pnpm: pnpm.stdout.trim(),
    postgres: await serverVersion(),
    date: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  useSchemaEngineStandIn();
  handleSignals();
  const started = Date.now();
  const quick = args.quick;
  const info = await machine();
  log(
    `${quick ? 'quick' : 'full'} run on ${info.cpu} (${String(info.cores)} cores), Node ${info.node}`,
  );

  let services: Services | undefined;
  if (args.parts.has('throughput') || args.parts.has('tests')) {
    services = await prepareServices();
  }

  let generation: GenerationResult | undefined;
  if (args.parts.has('generation')) {
    generation = await benchGeneration({
      runs: quick ? 2 : 10,
      growthTo: quick ? 3 : 50,
      installedService: services?.dirs.fastify,
      quick,
    });
  }

  let throughput: ThroughputResult | undefined;
  if (args.parts.has('throughput') && services !== undefined) {
    const generator = await loadGenerator(await tempDir('load'));
    throughput = await benchThroughput(
      services,
      generator,
      quick
        ? {
            connections: CONNECTIONS,
            warmupSeconds: 1,
            seconds: 1,
            repeats: 1,
            endpoints: ['get', 'auth-get'],
            // What the targets need: the faster raw row, bare + Prisma, NestJS, generated.
            targets: QUICK_TARGETS,
            idleMs: 500,
            startupRequests: 100,
          }
        : {
            connections: CONNECTIONS,
            warmupSeconds: 3,
            seconds: 5,
            repeats: 3,
            endpoints: ENDPOINT_KEYS,
            idleMs: 1000,
            startupRequests: 200,
          },
    );
  }

  let testSuites: SuiteResult[] | undefined;
  if (args.parts.has('tests') && services !== undefined) {
    testSuites = await benchTestSuite(services, quick ? ['fastify'] : FRAMEWORKS, quick ? 1 : 3);
  }

  const result: BenchResult = {
    mode: quick ? 'quick' : 'full',
    machine: info,
    durationSeconds: (Date.now() - started) / 1000,
    generation,
    throughput,
    testSuites,
    targets: checkTargets(generation, throughput),
  };
  const text = markdown(result);
  process.stdout.write(`\n${text}\n`);

  const resultsDir = path.join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const stem = quick ? 'quick' : 'latest';
  await writeFile(path.join(resultsDir, `${stem}.md`), text);
  await writeFile(path.join(resultsDir, `${stem}.json`), `${JSON.stringify(result, null, 2)}\n`);
  if (throughput !== undefined) {
    const title = `req/s ÷ the faster raw node:http + pg (${info.date.slice(0, 10)}, ${info.cpu})`;
    await writeFile(path.join(resultsDir, `${stem}.svg`), chart(throughput, title));
  }
  log(`wrote bench/results/${stem}.{md,json${throughput === undefined ? '' : ',svg'}}`);
}

try {
  await main();
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message === '' ? '' : `error: ${error.message}\n\n`}${USAGE}\n`);
    process.exitCode = error.message === '' ? 0 : 2;
  } else if (!interrupted()) {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await cleanupAll();
}
