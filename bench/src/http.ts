import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { LoadGenerator, LoadRequest, LoadResult } from './load.js';
import {
  benchDir,
  freePort,
  gen,
  log,
  median,
  onCleanup,
  rssMiB,
  runOk,
  sleep,
  startServer,
  tempDir,
} from './util.js';

export const FRAMEWORKS = ['fastify', 'express'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** jwt-auth and three resources: products (public traffic), categories, notes (signed-in only). */
const RESOURCES: readonly (readonly string[])[] = [
  ['jwt-auth'],
  [
    'api-resource',
    'product',
    '--fields',
    'title:string:max=200 price:decimal:min=0 status:enum(draft|live):default=draft stock:int:min=0:default=0',
  ],
  ['api-resource', 'category', '--fields', 'name:string:max=100:unique description:text?'],
  [
    'api-resource',
    'note',
    '--auth',
    'user',
    '--fields',
    'body:text:max=2000 pinned:boolean:default=false',
  ],
];

export interface Services {
  readonly dirs: Record<Framework, string>;
}

/** Generates, installs and builds one service per framework outside the repository. */
export async function prepareServices(): Promise<Services> {
  const work = await tempDir('services');
  const dirs = {} as Record<Framework, string>;
  log('services: generating a Fastify and an Express service with jwt-auth and 3 resources');
  await Promise.all(
    FRAMEWORKS.map(async (framework) => {
      const parent = path.join(work, framework);
      await mkdir(parent);
      await gen(['service', 'shop', '--framework', framework, '--dir', '.', '--no-format'], parent);
      for (const step of RESOURCES) {
        const [generator = '', ...rest] = step;
        const args =
          generator === 'jwt-auth'
            ? [generator, '--service', './shop', ...rest]
            : [generator, rest[0] ?? '', '--service', './shop', ...rest.slice(1)];
        await gen([...args, '--no-format'], parent);
      }
      dirs[framework] = path.join(parent, 'shop');
    }),
  );
  log('services: pnpm install (both), pnpm build');
  await Promise.all(
    FRAMEWORKS.map((framework) =>
      runOk('pnpm', ['install', '--no-frozen-lockfile'], {
        cwd: dirs[framework],
        timeoutMs: 600_000,
      }),
    ),
  );
  for (const framework of FRAMEWORKS) {
    await runOk('pnpm', ['run', 'build'], { cwd: dirs[framework] });
  }
  return { dirs };
}

/** The admin connection string: DATABASE_URL or the local server's `postgres` database. */
export function adminUrl(): string {
  return process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

export async function serverVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

/** A database of the bench's own, dropped at cleanup. */
async function createDatabase(): Promise<string> {
  const name = `svcgen_bench_${String(process.pid)}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  });
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export interface Endpoint {
  readonly key: 'get' | 'list' | 'create' | 'auth-get';
  readonly label: string;
  request(baseUrl: string): LoadRequest;
}

export interface TargetResult {
  readonly key: string;
  readonly label: string;
  /** RSS after start-up and a short warm-up, with no load. */
  readonly idleRssMiB: number;
  readonly endpoints: Record<string, EndpointResult>;
}

export interface EndpointResult extends LoadResult {
  /** RSS right after this endpoint's warm-up. */
  readonly rssMiB: number;
  readonly repeats: readonly number[];
}

export interface ThroughputSettings {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly repeats: number;
}

export interface ThroughputResult {
  readonly loadGenerator: string;
  readonly settings: ThroughputSettings;
  readonly migrateDeployMs: number;
  readonly targets: TargetResult[];
}

const JWT_SECRET = 'bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export async function benchThroughput(
  services: Services,
  generator: LoadGenerator,
  settings: ThroughputSettings,
): Promise<ThroughputResult> {
  const databaseUrl = await createDatabase();
  log('throughput: prisma migrate deploy into a fresh database, 1000 products');
  const deploy = await runOk('pnpm', ['exec', 'prisma', 'migrate', 'deploy'], {
    cwd: services.dirs.fastify,
    env: { DATABASE_URL: databaseUrl },
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  await db.query(
    `INSERT INTO products (id, title, price, stock, created_at, updated_at)
     SELECT gen_random_uuid(), 'Product ' || n, (n % 500) + 0.99, n % 50,
            now() - n * interval '1 minute', now()
     FROM generate_series(1, 1000) AS n`,
  );
  const { rows } = await db.query<{ id: string }>('SELECT id FROM products ORDER BY title LIMIT 1');
  await db.end();
  const productId = rows[0]?.id ?? '';

  const logs = await tempDir('logs');
  const env = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    JWT_SECRET,
    ACCESS_TOKEN_TTL: '3600',
    // One client is the whole load: the per-client limit (300/min by default) would answer 429.
    RATE_LIMIT_MAX: '0',
  };

  // A user, their access token and one note, through the generated Fastify service's own API.
  const { accessToken, noteId } = await withServer(
    'setup',
    'node',
    ['dist/server.js'],
    services.dirs.fastify,
    env,
    logs,
    async (url) => {
      const credentials = { email: 'bench@example.com', password: 'bench-password-123' };
      await postJson(`${url}/api/v1/auth/register`, credentials);
      const tokens = (await postJson(`${url}/api/v1/auth/login`, credentials)) as {
        accessToken: string;
      };
      const note = (await postJson(
        `${url}/api/v1/notes`,
        { body: 'A note only signed-in users read.' },
        { authorization: `Bearer ${tokens.accessToken}` },
      )) as { id: string };
      return { accessToken: tokens.accessToken, noteId: note.id };
    },
  );

  const endpoints: Endpoint[] = [
    {
      key: 'get',
      label: 'GET /api/v1/products/:id',
      request: (base) => ({ url: `${base}/api/v1/products/${productId}`, method: 'GET' }),
    },
    {
      key: 'list',
      label: 'GET /api/v1/products?limit=20',
      request: (base) => ({ url: `${base}/api/v1/products?limit=20`, method: 'GET' }),
    },
    {
      key: 'create',
      label: 'POST /api/v1/products',
      request: (base) => ({
        url: `${base}/api/v1/products`,
        method: 'POST',
        body: JSON.stringify({ title: 'Bench product', price: '9.99' }),
        headers: { 'content-type': 'application/json' },
      }),
    },
    {
      key: 'auth-get',
      label: 'GET /api/v1/notes/:id (Bearer)',
      request: (base) => ({
        url: `${base}/api/v1/notes/${noteId}`,
        method: 'GET',
        headers: { authorization: `Bearer ${accessToken}` },
      }),
    },
  ];

  const baseline = (name: string) => path.join(benchDir, 'dist/baselines', `${name}.js`);
  const targets: { key: string; label: string; args: string[]; cwd: string }[] = [
    { key: 'raw', label: 'node:http + pg (the limit)', args: [baseline('raw')], cwd: benchDir },
    { key: 'fastify-bare', label: 'bare Fastify + pg', args: [baseline('fastify')], cwd: benchDir },
    { key: 'express-bare', label: 'bare Express + pg', args: [baseline('express')], cwd: benchDir },
    {
      key: 'fastify-generated',
      label: 'generated Fastify service',
      args: ['dist/server.js'],
      cwd: services.dirs.fastify,
    },
    {
      key: 'express-generated',
      label: 'generated Express service',
      args: ['dist/server.js'],
      cwd: services.dirs.express,
    },
  ];

  const results: TargetResult[] = [];
  for (const target of targets) {
    const result = await withServer(
      target.key,
      process.execPath,
      target.args,
      target.cwd,
      env,
      logs,
      async (url, pid) => {
        // Start-up warm-up: a few hundred requests, then a moment without load.
        for (let index = 0; index < 200; index += 1) {
          const response = await fetch(endpoints[0]?.request(url).url ?? url);
          if (!response.ok)
            throw new Error(`${target.key}: GET /:id answered ${String(response.status)}`);
          await response.arrayBuffer();
        }
        await sleep(1000);
        const idleRssMiB = await rssMiB(pid);
        const byEndpoint: Record<string, EndpointResult> = {};
        for (const endpoint of endpoints) {
          const request = endpoint.request(url);
          log(`throughput: ${target.key} ${endpoint.label}`);
          await generator.load(request, settings.connections, settings.warmupSeconds);
          const rss = await rssMiB(pid);
          const runs: LoadResult[] = [];
          for (let repeat = 0; repeat < settings.repeats; repeat += 1) {
            runs.push(await generator.load(request, settings.connections, settings.seconds));
          }
          byEndpoint[endpoint.key] = {
            requests: runs.reduce((sum, item) => sum + item.requests, 0),
            rps: median(runs.map((item) => item.rps)),
            p50: median(runs.map((item) => item.p50)),
            p99: median(runs.map((item) => item.p99)),
            errors: runs.reduce((sum, item) => sum + item.errors, 0),
            rssMiB: rss,
            repeats: runs.map((item) => Math.round(item.rps)),
          };
        }
        return { key: target.key, label: target.label, idleRssMiB, endpoints: byEndpoint };
      },
    );
    results.push(result);
  }
  return {
    loadGenerator: generator.name,
    settings,
    migrateDeployMs: deploy.ms,
    targets: results,
  };
}

async function withServer<T>(
  name: string,
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  logs: string,
  body: (url: string, pid: number) => Promise<T>,
): Promise<T> {
  const port = await freePort();
  const server = await startServer(command, args, {
    cwd,
    env: { ...env, PORT: String(port) },
    port,
    readyPath: '/health/ready',
    logFile: path.join(logs, `${name}.log`),
  });
  try {
    return await body(server.url, server.pid);
  } catch (error) {
    throw new Error(`${name}: ${String(error)}\n--- server output\n${server.output()}`, {
      cause: error,
    });
  } finally {
    await server.stop();
  }
}

async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`POST ${url} answered ${String(response.status)}: ${await response.text()}`);
  }
  return response.json();
}

export interface SuiteResult {
  readonly framework: Framework;
  readonly ms: number;
  readonly runs: readonly number[];
  readonly tests: number;
}

/** The generated service's own `pnpm test` against the PostgreSQL server. */
export async function benchTestSuite(
  services: Services,
  frameworks: readonly Framework[],
  runs: number,
): Promise<SuiteResult[]> {
  const results: SuiteResult[] = [];
  for (const framework of frameworks) {
    const samples: number[] = [];
    let tests = 0;
    for (let index = 0; index < runs; index += 1) {
      log(`test suite: ${framework} pnpm test (${String(index + 1)}/${String(runs)})`);
      const result = await runOk('pnpm', ['test'], {
        cwd: services.dirs[framework],
        env: { DATABASE_URL: adminUrl(), NO_COLOR: '1' },
        timeoutMs: 600_000,
      });
      samples.push(result.ms);
      tests = Number(/Tests\s+(\d+) passed/.exec(result.stdout)?.[1] ?? 0);
    }
    results.push({ framework, ms: median(samples), runs: samples.map(Math.round), tests });
  }
  return results;
}
