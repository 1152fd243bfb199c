import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import {
  machineBusySeconds,
  processCpuSeconds,
  type LoadGenerator,
  type LoadRequest,
  type LoadResult,
} from './load.js';
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

export type EndpointKey = 'get' | 'list' | 'create' | 'auth-get';
export const ENDPOINT_KEYS: readonly EndpointKey[] = ['get', 'list', 'create', 'auth-get'];

export interface Endpoint {
  readonly key: EndpointKey;
  readonly label: string;
  readonly request: (baseUrl: string) => LoadRequest;
}

/** What a row is: the two generated services and the baselines around them. */
export type TargetKind = 'raw' | 'bare-pg' | 'bare-prisma' | 'nest' | 'generated';

export interface TargetResult {
  readonly key: string;
  readonly label: string;
  readonly kind: TargetKind;
  /** The framework underneath (NestJS: its platform); none for raw node:http. */
  readonly framework: Framework | null;
  /** RSS after start-up and a short warm-up, with no load. */
  readonly idleRssMiB: number;
  readonly endpoints: Record<string, EndpointResult>;
}

export interface EndpointResult {
  readonly requests: number;
  /** Medians over the repeats. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Socket errors, timeouts and non-2xx responses, summed over the repeats. */
  readonly errors: number;
  /** Highest RSS sampled (every 250 ms) while the load ran. */
  readonly rssMiB: number;
  readonly repeats: readonly number[];
  /** CPU the server process (all its threads) used while the load ran, in cores (1 = one core). */
  readonly serverCpuCores: number;
  /** Server CPU per request, µs. */
  readonly serverCpuUsPerRequest: number;
  /** CPU the load generator used over the same runs, in cores; null when not measured. */
  readonly loadGeneratorCpuCores: number | null;
  /** CPU the whole machine was busy over the same runs, in cores (PostgreSQL and anything else). */
  readonly machineCpuCores: number;
}

export interface ThroughputSettings {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  readonly repeats: number;
  readonly endpoints: readonly EndpointKey[];
  /** Only these targets (quick mode); all when undefined. */
  readonly targets?: readonly string[] | undefined;
  /** Sequential GET /:id requests right after start-up (before the idle RSS). */
  readonly startupRequests: number;
  /** Pause after those before the idle RSS is read. */
  readonly idleMs: number;
}

export interface ThroughputResult {
  readonly loadGenerator: string;
  readonly settings: ThroughputSettings;
  readonly cores: number;
  readonly migrateDeployMs: number;
  /** Every target answered GET /:id, the list and the note GET with these bodies (parsed). */
  readonly checkedBodies: Record<string, unknown>;
  readonly targets: TargetResult[];
}

/** The title of every product the POST load creates (removed again after each target). */
const CREATED_TITLE = 'Bench product';

const JWT_SECRET = 'bench-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** The endpoints whose answers every target must match (a create answers with a new id). */
function reads(endpoints: readonly Endpoint[]): Endpoint[] {
  return endpoints.filter((endpoint) => endpoint.key !== 'create');
}

/** The four endpoints measured, for the records the setup created. */
function endpointsFor(
  productId: string,
  noteId: string,
  accessToken: string,
): [Endpoint, Endpoint, Endpoint, Endpoint] {
  return [
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
        body: JSON.stringify({ title: CREATED_TITLE, price: '9.99' }),
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
}

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
  const { accessToken, noteId, checkedBodies } = await withServer(
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
      // The bodies every target must answer with: this generated Fastify service's, parsed.
      const bodies: Record<string, unknown> = {};
      for (const check of reads(endpointsFor(productId, note.id, tokens.accessToken))) {
        bodies[check.label] = await getJson(check.request(url));
      }
      return { accessToken: tokens.accessToken, noteId: note.id, checkedBodies: bodies };
    },
  );
  const allEndpoints = endpointsFor(productId, noteId, accessToken);
  const bodyChecked = reads(allEndpoints);

  const endpoints = allEndpoints.filter((endpoint) => settings.endpoints.includes(endpoint.key));

  const baseline = (name: string) => path.join(benchDir, 'dist/baselines', `${name}.js`);
  const nest = path.join(benchDir, 'dist/nest/main.js');
  const prismaEnv = { SERVICE_DIR: services.dirs.fastify };
  const targets: {
    key: string;
    label: string;
    kind: TargetKind;
    framework: Framework | null;
    args: string[];
    cwd: string;
    env?: Record<string, string>;
  }[] = [
    {
      key: 'raw-named',
      label: 'node:http + pg, named statements (the limit)',
      kind: 'raw',
      framework: null,
      args: [baseline('raw')],
      cwd: benchDir,
      env: { BASELINE_PG_NAMED: '1' },
    },
    {
      key: 'raw',
      label: 'node:http + pg, unnamed statements',
      kind: 'raw',
      framework: null,
      args: [baseline('raw')],
      cwd: benchDir,
    },
    {
      key: 'fastify-pg',
      label: 'bare Fastify + pg (no ORM)',
      kind: 'bare-pg',
      framework: 'fastify',
      args: [baseline('fastify')],
      cwd: benchDir,
    },
    {
      key: 'express-pg',
      label: 'bare Express + pg (no ORM)',
      kind: 'bare-pg',
      framework: 'express',
      args: [baseline('express')],
      cwd: benchDir,
    },
    {
      key: 'fastify-prisma',
      label: 'bare Fastify + Prisma',
      kind: 'bare-prisma',
      framework: 'fastify',
      args: [baseline('fastify-prisma')],
      cwd: benchDir,
      env: prismaEnv,
    },
    {
      key: 'express-prisma',
      label: 'bare Express + Prisma',
      kind: 'bare-prisma',
      framework: 'express',
      args: [baseline('express-prisma')],
      cwd: benchDir,
      env: prismaEnv,
    },
    {
      key: 'nest-fastify',
      label: 'NestJS + Prisma (platform-fastify)',
      kind: 'nest',
      framework: 'fastify',
      args: [nest],
      cwd: benchDir,
      env: { ...prismaEnv, NEST_PLATFORM: 'fastify' },
    },
    {
      key: 'nest-express',
      label: 'NestJS + Prisma (platform-express)',
      kind: 'nest',
      framework: 'express',
      args: [nest],
      cwd: benchDir,
      env: { ...prismaEnv, NEST_PLATFORM: 'express' },
    },
    {
      key: 'fastify-generated',
      label: 'generated Fastify service',
      kind: 'generated',
      framework: 'fastify',
      args: ['dist/server.js'],
      cwd: services.dirs.fastify,
    },
    {
      key: 'express-generated',
      label: 'generated Express service',
      kind: 'generated',
      framework: 'express',
      args: ['dist/server.js'],
      cwd: services.dirs.express,
    },
  ];

  const results: TargetResult[] = [];
  const wanted = settings.targets;
  for (const target of targets.filter(
    (item) => wanted === undefined || wanted.includes(item.key),
  )) {
    const result = await withServer(
      target.key,
      process.execPath,
      target.args,
      target.cwd,
      { ...env, ...target.env },
      logs,
      async (url, pid) => {
        // Same JSON as the generated Fastify service, or no numbers at all.
        for (const check of bodyChecked) {
          const body = await getJson(check.request(url));
          if (!isDeepStrictEqual(body, checkedBodies[check.label])) {
            throw new Error(
              `${target.key} answers ${check.label} differently from the generated Fastify service:\n` +
                `--- expected\n${JSON.stringify(checkedBodies[check.label])}\n` +
                `--- got\n${JSON.stringify(body)}`,
            );
          }
        }
        const anonymous = await fetch(allEndpoints[3].request(url).url);
        await anonymous.arrayBuffer();
        if (anonymous.status !== 401) {
          throw new Error(
            `${target.key}: the note GET without a token answered ${String(anonymous.status)}, not 401`,
          );
        }
        // Start-up warm-up: a few hundred requests, then a moment without load.
        for (let index = 0; index < settings.startupRequests; index += 1) {
          const response = await fetch(allEndpoints[0].request(url).url);
          if (!response.ok)
            throw new Error(`${target.key}: GET /:id answered ${String(response.status)}`);
          await response.arrayBuffer();
        }
        await sleep(settings.idleMs);
        const idleRssMiB = await rssMiB(pid);
        const byEndpoint: Record<string, EndpointResult> = {};
        for (const endpoint of endpoints) {
          const request = endpoint.request(url);
          log(`throughput: ${target.key} ${endpoint.label}`);
          await generator.load(request, settings.connections, settings.warmupSeconds);
          const runs: (LoadResult & {
            serverCpuSeconds: number;
            machineCpuSeconds: number;
            peakRssMiB: number;
          })[] = [];
          for (let repeat = 0; repeat < settings.repeats; repeat += 1) {
            const cpuBefore = await processCpuSeconds(pid);
            const machineBefore = await machineBusySeconds();
            let peak = await rssMiB(pid);
            const sampler = setInterval(() => {
              void rssMiB(pid).then(
                (value) => (peak = Math.max(peak, value)),
                () => undefined,
              );
            }, 250);
            try {
              const loaded = await generator.load(request, settings.connections, settings.seconds);
              const cpuAfter = await processCpuSeconds(pid);
              const machineAfter = await machineBusySeconds();
              runs.push({
                ...loaded,
                serverCpuSeconds: cpuAfter - cpuBefore,
                machineCpuSeconds: machineAfter - machineBefore,
                peakRssMiB: peak,
              });
            } finally {
              clearInterval(sampler);
            }
          }
          const seconds = runs.reduce((sum, item) => sum + item.seconds, 0);
          const requests = runs.reduce((sum, item) => sum + item.requests, 0);
          const serverCpu = runs.reduce((sum, item) => sum + item.serverCpuSeconds, 0);
          const generatorCpu = runs.every((item) => item.generatorCpuSeconds !== null)
            ? runs.reduce((sum, item) => sum + (item.generatorCpuSeconds ?? 0), 0)
            : null;
          byEndpoint[endpoint.key] = {
            requests,
            rps: median(runs.map((item) => item.rps)),
            p50: median(runs.map((item) => item.p50)),
            p99: median(runs.map((item) => item.p99)),
            errors: runs.reduce((sum, item) => sum + item.errors, 0),
            rssMiB: Math.max(...runs.map((item) => item.peakRssMiB)),
            repeats: runs.map((item) => Math.round(item.rps)),
            serverCpuCores: serverCpu / seconds,
            serverCpuUsPerRequest: (serverCpu / Math.max(requests, 1)) * 1e6,
            loadGeneratorCpuCores: generatorCpu === null ? null : generatorCpu / seconds,
            machineCpuCores: runs.reduce((sum, item) => sum + item.machineCpuSeconds, 0) / seconds,
          };
        }
        return {
          key: target.key,
          label: target.label,
          kind: target.kind,
          framework: target.framework,
          idleRssMiB,
          endpoints: byEndpoint,
        };
      },
    );
    results.push(result);
    // Every target starts from the same table: the rows the POST load added go again.
    await resetProducts(databaseUrl);
  }
  return {
    loadGenerator: generator.name,
    settings,
    cores: availableParallelism(),
    migrateDeployMs: deploy.ms,
    checkedBodies,
    targets: results,
  };
}

/** Removes the products the POST load created and vacuums, so the next target sees 1000 rows. */
async function resetProducts(databaseUrl: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(`DELETE FROM products WHERE title = $1`, [CREATED_TITLE]);
    await db.query('VACUUM ANALYZE products');
  } finally {
    await db.end();
  }
}

async function getJson(request: LoadRequest): Promise<unknown> {
  const response = await fetch(request.url, { headers: { ...request.headers } });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(
      `GET ${request.url} answered ${String(response.status)}: ${text.slice(0, 500)}`,
    );
  }
  return JSON.parse(text) as unknown;
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
