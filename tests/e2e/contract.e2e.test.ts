/**
 * The shared HTTP contract: the same requests against a generated Express service and a generated
 * Fastify service, started the same way, must get the same answers (status, the headers that
 * matter, bodies modulo request ids), and both must publish a valid OpenAPI document.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase } from '../support/database.js';
import { freePort, runOk, startServer, type StartedServer } from '../support/process.js';
import { FRAMEWORKS, type Framework } from './setup.js';

const ORIGIN = 'https://app.example.com';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Headers whose values must be identical across frameworks. */
const COMPARED_HEADERS = [
  'content-type',
  'x-request-id',
  'retry-after',
  'x-content-type-options',
  'x-frame-options',
  'strict-transport-security',
  'referrer-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'x-powered-by',
];

interface Exchange {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

const EXCHANGES: Exchange[] = [
  { name: 'liveness', method: 'GET', path: '/health/live' },
  { name: 'readiness', method: 'GET', path: '/health/ready' },
  { name: 'unknown route', method: 'GET', path: '/nope?x=1' },
  { name: 'unknown API route', method: 'GET', path: '/api/v1/nothing-here' },
  { name: 'wrong method', method: 'DELETE', path: '/health/live' },
  {
    name: 'malformed JSON to an unknown route',
    method: 'POST',
    path: '/api/v1/nope',
    headers: { 'content-type': 'application/json' },
    body: '{"broken": ',
  },
  {
    name: 'sane request id reused',
    method: 'GET',
    path: '/health/live',
    headers: { 'x-request-id': 'abc-123.x:y' },
  },
  {
    name: 'insane request id replaced',
    method: 'GET',
    path: '/health/live',
    headers: { 'x-request-id': 'a b<c>' },
  },
  { name: 'allowed origin', method: 'GET', path: '/health/live', headers: { origin: ORIGIN } },
  {
    name: 'other origin',
    method: 'GET',
    path: '/health/live',
    headers: { origin: 'https://evil.example.com' },
  },
];

interface Observed {
  status: number;
  headers: Record<string, string | null>;
  body: unknown;
}

async function observe(baseUrl: string, exchange: Exchange): Promise<Observed> {
  const response = await fetch(baseUrl + exchange.path, {
    method: exchange.method,
    headers: exchange.headers ?? {},
    ...(exchange.body === undefined ? {} : { body: exchange.body }),
  });
  const text = await response.text();
  const requestId = response.headers.get('x-request-id');
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON; compare the text
  }
  if (typeof body === 'object' && body !== null && 'requestId' in body) {
    expect(body.requestId).toBe(requestId);
    body = { ...body, requestId: '<request id>' };
  }
  const headers: Record<string, string | null> = {};
  for (const name of COMPARED_HEADERS) headers[name] = response.headers.get(name);
  if (requestId !== null && UUID.test(requestId)) headers['x-request-id'] = '<uuid>';
  return { status: response.status, headers, body };
}

describe('shared HTTP contract: Express and Fastify services answer alike', () => {
  const services = inject('services');
  const servers = {} as Record<Framework, StartedServer>;
  const databases: { drop: () => Promise<void> }[] = [];

  beforeAll(async () => {
    for (const framework of FRAMEWORKS) {
      const { serviceDir } = services[framework];
      const database = await createDatabase(`svcgen_contract_${framework}`);
      databases.push(database);
      await runOk('pnpm', ['run', 'db:deploy'], {
        cwd: serviceDir,
        env: { DATABASE_URL: database.url },
      });
      const port = await freePort();
      servers[framework] = await startServer(process.execPath, ['dist/server.js'], {
        cwd: serviceDir,
        port,
        readyPath: '/health/live',
        env: {
          DATABASE_URL: database.url,
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          CORS_ORIGINS: ORIGIN,
          RATE_LIMIT_MAX: '40',
        },
      });
    }
  });

  afterAll(async () => {
    for (const server of Object.values(servers)) expect(await server.stop()).toBe(0);
    await Promise.all(databases.map((database) => database.drop()));
  });

  it.each(EXCHANGES)('$name: $method $path', async (exchange) => {
    const [express, fastify] = await Promise.all(
      FRAMEWORKS.map((framework) => observe(servers[framework].baseUrl, exchange)),
    );
    expect(fastify).toEqual(express);
    expect(express?.headers['x-content-type-options']).toBe('nosniff');
    expect(express?.headers['x-powered-by']).toBeNull();
    if (express !== undefined && express.status >= 400) {
      expect(express.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('CORS preflight from an allowed origin', async () => {
    const exchange = {
      name: 'preflight',
      method: 'OPTIONS',
      path: '/api/v1/things',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'content-type,authorization',
      },
    };
    const results = await Promise.all(
      FRAMEWORKS.map((framework) => observe(servers[framework].baseUrl, exchange)),
    );
    const [express, fastify] = results;
    expect(express?.status).toBe(204);
    expect(fastify).toEqual(express);
    const allowed = await Promise.all(
      FRAMEWORKS.map(async (framework) => {
        const response = await fetch(servers[framework].baseUrl + exchange.path, {
          method: 'OPTIONS',
          headers: exchange.headers,
        });
        return {
          methods: response.headers.get('access-control-allow-methods'),
          headers: response.headers.get('access-control-allow-headers'),
        };
      }),
    );
    expect(allowed[1]).toEqual(allowed[0]);
    expect(allowed[0]?.methods).toContain('PATCH');
  });

  it('both publish a valid OpenAPI 3.1 document with the same operations and statuses', async () => {
    const operations = await Promise.all(
      FRAMEWORKS.map(async (framework) => {
        const document = (await (
          await fetch(`${servers[framework].baseUrl}/openapi.json`)
        ).json()) as {
          openapi: string;
          paths: Record<
            string,
            Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
          >;
        };
        const validator = new Validator();
        const result = await validator.validate(document);
        expect(result.errors ?? [], framework).toEqual([]);
        expect(result.valid).toBe(true);
        expect(document.openapi).toMatch(/^3\.1\./);
        return Object.entries(document.paths).flatMap(([path, methods]) =>
          Object.entries(methods).flatMap(([method, operation]) =>
            Object.entries(operation.responses).map(
              ([status, response]) =>
                `${method.toUpperCase()} ${path} ${status} ${Object.keys(response.content ?? {}).join(',')}`,
            ),
          ),
        );
      }),
    );
    expect(operations[0]?.sort()).toEqual(operations[1]?.sort());
    expect(operations[0]).toContain('GET /health/ready 503 application/problem+json');
  });

  // Last: it exhausts both services' rate limits.
  it('rate limiting kicks in after the same number of requests, with the same 429', async () => {
    const limited = await Promise.all(
      FRAMEWORKS.map(async (framework) => {
        for (let count = 1; count <= 100; count++) {
          const observed = await observe(servers[framework].baseUrl, {
            name: 'flood',
            method: 'GET',
            path: '/nope',
          });
          if (observed.status === 429) return { count, observed };
        }
        return { count: Infinity, observed: undefined };
      }),
    );
    expect(limited[0]?.count).toBeLessThanOrEqual(40 + 1);
    expect(limited[1]).toEqual(limited[0]);
    expect(limited[0]?.observed?.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited[0]?.observed?.headers['retry-after'])).toBeGreaterThan(0);
  });
});
