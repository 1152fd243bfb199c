/**
 * The shared HTTP contract: the same requests against a generated Express service and a generated
 * Fastify service, started the same way, must get the same answers (status, the headers that
 * matter, bodies modulo request ids), and both must publish a valid OpenAPI document.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { StartedServer } from '../support/process.js';
import { deployedDatabase, startBuiltService } from './built-service.js';
import { FRAMEWORKS, type Framework } from './setup.js';

const ORIGIN = 'https://app.example.com';
const RATE_LIMIT_WINDOW_S = 600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Headers whose values must be identical across frameworks. */
const COMPARED_HEADERS = [
  'content-type',
  'cache-control',
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
      const database = await deployedDatabase(serviceDir, `svcgen_contract_${framework}`);
      databases.push(database);
      servers[framework] = await startBuiltService(serviceDir, database.url, {
        CORS_ORIGINS: ORIGIN,
        RATE_LIMIT_MAX: '100',
        // Long enough that no window resets while the suite runs, so both counts stay comparable.
        RATE_LIMIT_WINDOW_MS: String(RATE_LIMIT_WINDOW_S * 1000),
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

  it('the same resource scenario gets the same answers (modulo ids and timestamps)', async () => {
    const transcripts = await Promise.all(
      FRAMEWORKS.map((framework) => resourceScenario(servers[framework].baseUrl)),
    );
    const [express, fastify] = transcripts;
    expect(fastify).toEqual(express);
    expect(express?.map((step) => `${step.name} ${String(step.status)}`)).toEqual([
      'create category 201',
      'duplicate category 409',
      'invalid category 400',
      'malformed JSON 400',
      'not JSON 415',
      'too large 413',
      'create product 201',
      'product with a missing category 409',
      'get product with category 200',
      'list products 200',
      'list with a bad limit 400',
      'list with an object in the query 400',
      'list with an unknown sort 400',
      'get a missing product 404',
      'get a malformed id 400',
      'change the price 200',
      'change a server-managed field 400',
      'delete a referenced category 409',
      'delete the product 204',
      'get the deleted product 404',
    ]);
  });

  it('the same auth scenario gets the same answers (modulo ids, timestamps and tokens)', async () => {
    const [express, fastify] = await Promise.all(
      FRAMEWORKS.map((framework) => authScenario(servers[framework].baseUrl)),
    );
    expect(fastify).toEqual(express);
    expect(express?.map((step) => `${step.name} ${String(step.status)}`)).toEqual([
      'register 201',
      'register a taken email 409',
      'register with a role 400',
      'register a short password 400',
      'login with a wrong password 401',
      'login with an unknown email 401',
      'login 200',
      'me 200',
      'me without a token 401',
      'me with the refresh token 401',
      'refresh 200',
      'refresh reuse 401',
      'refresh after reuse 401',
      'login again 200',
      'create an owned note 201',
      'create a note without a token 401',
      'register bob 201',
      'login bob 200',
      "bob reads ada's note 404",
      "bob deletes ada's note 404",
      'bob lists notes 200',
      'ada reads her note 200',
      'a user lists admin-only suppliers 403',
      'ada creates a folder 201',
      "bob files a note in ada's folder 409",
      'bob files a note in a missing folder 409',
      'anyone lists offers 200',
      'anyone lists offers with their suppliers 401',
      'a user lists offers with their suppliers 403',
      'logout 204',
      'refresh after logout 401',
      'me after logout 401',
      'change password, wrong current 401',
      'change password, too short 400',
      'change password 204',
      'me after a password change 401',
      'logout-all with an ended session 401',
      'login to sign out everywhere 200',
      'logout-all 204',
      'me after logout-all 401',
    ]);
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
        for (let count = 1; count <= 200; count++) {
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
    expect(limited[0]?.count).toBeLessThanOrEqual(100 + 1);
    // Retry-After counts whole seconds down to each server's own window reset. The two windows
    // start a few milliseconds apart, so the values may straddle a second boundary: allow 1 s.
    const retryAfter = limited.map((entry) => Number(entry.observed?.headers['retry-after']));
    for (const seconds of retryAfter) {
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(RATE_LIMIT_WINDOW_S);
    }
    expect(Math.abs((retryAfter[0] ?? 0) - (retryAfter[1] ?? Infinity))).toBeLessThanOrEqual(1);
    const comparable = limited.map(({ count, observed }) => ({
      count,
      observed: observed && {
        ...observed,
        headers: { ...observed.headers, 'retry-after': '<seconds>' },
      },
    }));
    expect(comparable[1]).toEqual(comparable[0]);
    expect(limited[0]?.observed?.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });
});

interface Step {
  name: string;
  status: number;
  contentType: string | null;
  location: string | null;
  body: unknown;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ANY_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Ids, timestamps and request ids differ between two servers by nature; nothing else may. */
function normalize(value: unknown): unknown {
  if (typeof value === 'string') {
    return TIMESTAMP.test(value) ? '<timestamp>' : value.replace(ANY_UUID, '<uuid>');
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [
        key,
        key === 'requestId'
          ? '<request id>'
          : key === 'accessToken' || key === 'refreshToken'
            ? '<token>'
            : normalize(entry),
      ]),
    );
  }
  return value;
}

type Call = (
  name: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<unknown>;

/** Sends requests to one server and records what matters of each answer, normalized. */
function recorder(baseUrl: string): { steps: Step[]; call: Call } {
  const steps: Step[] = [];
  const call: Call = async (name, method, path, body, headers = {}) => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    steps.push({
      name,
      status: response.status,
      contentType: response.headers.get('content-type'),
      location: normalize(response.headers.get('location')) as string | null,
      body: normalize(parsed),
    });
    return parsed;
  };
  return { steps, call };
}

async function resourceScenario(baseUrl: string): Promise<Step[]> {
  const { steps, call } = recorder(baseUrl);
  const category = (await call('create category', 'POST', '/api/v1/categories', {
    name: 'Books',
  })) as { id: string };
  await call('duplicate category', 'POST', '/api/v1/categories', { name: 'Books' });
  await call('invalid category', 'POST', '/api/v1/categories', { name: '', extra: true });
  await call('malformed JSON', 'POST', '/api/v1/categories', '{"name": ');
  await call('not JSON', 'POST', '/api/v1/categories', 'name=Books', {
    'content-type': 'text/plain',
  });
  await call('too large', 'POST', '/api/v1/categories', { name: 'x'.repeat(200_000) });
  const product = (await call('create product', 'POST', '/api/v1/products', {
    title: 'Dune',
    price: '19.99',
    sku: 'DUNE-1',
    categoryId: category.id,
    releasedOn: '1965-08-01',
    weight: 0.5,
    serial: '9007199254740993',
    launchAt: '2026-01-02T03:04:05.000Z',
    contact: 'books@example.com',
    homepage: 'https://example.com/dune',
    metadata: { pages: 412, tags: ['sf'] },
  })) as { id: string };
  await call('product with a missing category', 'POST', '/api/v1/products', {
    title: 'Lost',
    price: 1,
    sku: 'LOST-1',
    categoryId: '00000000-0000-4000-8000-000000000000',
  });
  await call('get product with category', 'GET', `/api/v1/products/${product.id}?include=category`);
  await call('list products', 'GET', '/api/v1/products?limit=1&sort=-createdAt&status=draft');
  await call('list with a bad limit', 'GET', '/api/v1/products?limit=0');
  await call('list with an object in the query', 'GET', '/api/v1/products?status[not]=draft');
  await call('list with an unknown sort', 'GET', '/api/v1/products?sort=price');
  await call(
    'get a missing product',
    'GET',
    '/api/v1/products/00000000-0000-4000-8000-000000000000',
  );
  await call('get a malformed id', 'GET', '/api/v1/products/42');
  await call('change the price', 'PATCH', `/api/v1/products/${product.id}`, {
    price: '21.5',
    status: 'live',
  });
  await call('change a server-managed field', 'PATCH', `/api/v1/products/${product.id}`, {
    id: category.id,
  });
  await call('delete a referenced category', 'DELETE', `/api/v1/categories/${category.id}`);
  await call('delete the product', 'DELETE', `/api/v1/products/${product.id}`);
  await call('get the deleted product', 'GET', `/api/v1/products/${product.id}`);
  return steps;
}

interface Pair {
  accessToken: string;
  refreshToken: string;
}

async function authScenario(baseUrl: string): Promise<Step[]> {
  const { steps, call } = recorder(baseUrl);
  const bearer = (pair: Pair) => ({ authorization: `Bearer ${pair.accessToken}` });
  const ada = { email: 'ada@example.com', password: 'correct horse battery staple' };
  const bob = { email: 'bob@example.com', password: 'another long passphrase' };
  await call('register', 'POST', '/api/v1/auth/register', ada);
  await call('register a taken email', 'POST', '/api/v1/auth/register', {
    ...ada,
    email: 'ADA@example.com',
  });
  await call('register with a role', 'POST', '/api/v1/auth/register', { ...bob, role: 'admin' });
  await call('register a short password', 'POST', '/api/v1/auth/register', {
    ...bob,
    password: 'short',
  });
  await call('login with a wrong password', 'POST', '/api/v1/auth/login', {
    ...ada,
    password: 'wrong password',
  });
  await call('login with an unknown email', 'POST', '/api/v1/auth/login', {
    ...bob,
    password: 'wrong password',
  });
  const first = (await call('login', 'POST', '/api/v1/auth/login', ada)) as Pair;
  await call('me', 'GET', '/api/v1/auth/me', undefined, bearer(first));
  await call('me without a token', 'GET', '/api/v1/auth/me');
  await call('me with the refresh token', 'GET', '/api/v1/auth/me', undefined, {
    authorization: `Bearer ${first.refreshToken}`,
  });
  const second = (await call('refresh', 'POST', '/api/v1/auth/refresh', {
    refreshToken: first.refreshToken,
  })) as Pair;
  await call('refresh reuse', 'POST', '/api/v1/auth/refresh', { refreshToken: first.refreshToken });
  await call('refresh after reuse', 'POST', '/api/v1/auth/refresh', {
    refreshToken: second.refreshToken,
  });
  const session = (await call('login again', 'POST', '/api/v1/auth/login', ada)) as Pair;
  const note = (await call(
    'create an owned note',
    'POST',
    '/api/v1/notes',
    { body: 'mine' },
    bearer(session),
  )) as { id: string };
  await call('create a note without a token', 'POST', '/api/v1/notes', { body: 'anonymous' });
  await call('register bob', 'POST', '/api/v1/auth/register', bob);
  const bobSession = (await call('login bob', 'POST', '/api/v1/auth/login', bob)) as Pair;
  await call(
    "bob reads ada's note",
    'GET',
    `/api/v1/notes/${note.id}`,
    undefined,
    bearer(bobSession),
  );
  await call(
    "bob deletes ada's note",
    'DELETE',
    `/api/v1/notes/${note.id}`,
    undefined,
    bearer(bobSession),
  );
  await call('bob lists notes', 'GET', '/api/v1/notes', undefined, bearer(bobSession));
  await call('ada reads her note', 'GET', `/api/v1/notes/${note.id}`, undefined, bearer(session));
  await call(
    'a user lists admin-only suppliers',
    'GET',
    '/api/v1/suppliers',
    undefined,
    bearer(session),
  );
  const folder = (await call(
    'ada creates a folder',
    'POST',
    '/api/v1/folders',
    { name: 'ada' },
    bearer(session),
  )) as { id: string };
  await call(
    "bob files a note in ada's folder",
    'POST',
    '/api/v1/notes',
    { body: 'sneaky', folderId: folder.id },
    bearer(bobSession),
  );
  await call(
    'bob files a note in a missing folder',
    'POST',
    '/api/v1/notes',
    { body: 'sneaky', folderId: '00000000-0000-4000-8000-000000000000' },
    bearer(bobSession),
  );
  await call('anyone lists offers', 'GET', '/api/v1/offers');
  await call('anyone lists offers with their suppliers', 'GET', '/api/v1/offers?include=supplier');
  await call(
    'a user lists offers with their suppliers',
    'GET',
    '/api/v1/offers?include=supplier',
    undefined,
    bearer(session),
  );
  await call('logout', 'POST', '/api/v1/auth/logout', { refreshToken: session.refreshToken });
  await call('refresh after logout', 'POST', '/api/v1/auth/refresh', {
    refreshToken: session.refreshToken,
  });
  await call('me after logout', 'GET', '/api/v1/auth/me', undefined, bearer(session));
  const password = '/api/v1/auth/password';
  await call(
    'change password, wrong current',
    'POST',
    password,
    { currentPassword: 'wrong password', newPassword: 'a brand new passphrase' },
    bearer(bobSession),
  );
  await call(
    'change password, too short',
    'POST',
    password,
    { currentPassword: bob.password, newPassword: 'short' },
    bearer(bobSession),
  );
  await call(
    'change password',
    'POST',
    password,
    { currentPassword: bob.password, newPassword: 'a brand new passphrase' },
    bearer(bobSession),
  );
  await call('me after a password change', 'GET', '/api/v1/auth/me', undefined, bearer(bobSession));
  await call(
    'logout-all with an ended session',
    'POST',
    '/api/v1/auth/logout-all',
    undefined,
    bearer(first),
  );
  const last = (await call(
    'login to sign out everywhere',
    'POST',
    '/api/v1/auth/login',
    ada,
  )) as Pair;
  await call('logout-all', 'POST', '/api/v1/auth/logout-all', undefined, bearer(last));
  await call('me after logout-all', 'GET', '/api/v1/auth/me', undefined, bearer(last));
  return steps;
}
