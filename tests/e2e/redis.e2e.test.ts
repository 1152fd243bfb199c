/**
 * With REDIS_URL set, a generated service keeps its rate-limit and login-lockout counters, and the
 * sessions that ended, in Redis so that every instance enforces one budget and refuses the access
 * tokens of an ended session at once. Two instances of each built service share one Redis
 * database here; requests alternate between them, so a per-process counter would let twice as many
 * through before refusing.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { TestDatabase } from '../support/database.js';
import type { StartedServer } from '../support/process.js';
import { deployedDatabase, startBuiltService } from './built-service.js';
import { FRAMEWORKS } from './setup.js';

/**
 * The Redis this suite uses: E2E_REDIS_URL, else logical database 15 of the local server. The
 * framework suites run one after the other and touch only the keys their services write (OUR_KEYS).
 */
const REDIS_URL = nonEmpty(process.env.E2E_REDIS_URL) ?? 'redis://127.0.0.1:6379/15';
/** The only keys these services write; all this suite ever reads or deletes. */
const OUR_KEYS = ['rl:*', 'rl-auth:*', 'login-failures:*', 'ended-session:*'];
const RATE_LIMIT_MAX = 20;
const AUTH_RATE_LIMIT_MAX = 16;
/** The generated login throttle: 10 attempts per account from one client per 15 minutes. */
const MAX_FAILED_LOGINS = 10;
const FAILED_LOGIN_WINDOW_S = 15 * 60;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

async function ourKeys(redis: Redis): Promise<string[]> {
  const keys: string[] = [];
  for (const pattern of OUR_KEYS) {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
  }
  return keys.sort();
}

async function deleteOurKeys(redis: Redis): Promise<void> {
  const keys = await ourKeys(redis);
  if (keys.length > 0) await redis.del(...keys);
}

describe.each(FRAMEWORKS)('%s service with REDIS_URL: instances share one budget', (framework) => {
  const { serviceDir } = inject('services')[framework];
  const instances: StartedServer[] = [];
  let database: TestDatabase | undefined;
  let redis: Redis | undefined;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
    } catch (error) {
      throw new Error(
        `This suite needs a Redis server: E2E_REDIS_URL, or one at 127.0.0.1:6379 (${String(error)})`,
        { cause: error },
      );
    }
    database = await deployedDatabase(serviceDir, `svcgen_redis_${framework}`);
    for (let i = 0; i < 2; i++) {
      instances.push(
        await startBuiltService(serviceDir, database.url, {
          REDIS_URL,
          RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
          RATE_LIMIT_WINDOW_MS: String(10 * 60 * 1000),
          AUTH_RATE_LIMIT_MAX: String(AUTH_RATE_LIMIT_MAX),
        }),
      );
    }
  });

  afterAll(async () => {
    for (const instance of instances) expect(await instance.stop(), instance.output()).toBe(0);
    if (redis?.status === 'ready') {
      await deleteOurKeys(redis);
      await redis.quit();
    } else redis?.disconnect();
    await database?.drop();
  });

  // Every test starts with no counters, whatever ran before (or was left by an interrupted run).
  beforeEach(() => deleteOurKeys(client()));

  function client(): Redis {
    if (redis === undefined) throw new Error('Redis is not connected');
    return redis;
  }

  /** Sends the n-th request (1-based) to instance (n - 1) mod 2. */
  async function alternate(n: number, path: string, init: RequestInit = {}): Promise<Response> {
    const instance = instances[(n - 1) % instances.length];
    if (instance === undefined) throw new Error('no instance');
    return fetch(instance.baseUrl + path, init);
  }

  function post(body: unknown): RequestInit {
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    };
  }

  it('the service-wide rate limit counts requests to both instances together', async () => {
    let firstLimited = 0;
    let retryAfter = '';
    for (let n = 1; n <= 2 * RATE_LIMIT_MAX + 1 && firstLimited === 0; n++) {
      const response = await alternate(n, '/api/v1/nothing-here');
      await response.arrayBuffer();
      if (response.status === 429) {
        firstLimited = n;
        retryAfter = response.headers.get('retry-after') ?? '';
      } else {
        expect(response.status).toBe(404);
      }
    }
    // Per-process counters would first refuse at 2 * max + 1.
    expect(firstLimited).toBe(RATE_LIMIT_MAX + 1);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(await ourKeys(client())).not.toEqual([]);
    // Health checks stay exempt while the client is limited.
    for (const instance of instances) {
      const health = await fetch(`${instance.baseUrl}/health/live`);
      await health.arrayBuffer();
      expect(health.status).toBe(200);
    }
  });

  it('failed logins from one client on either instance lock that client out of the account on both', async () => {
    const user = {
      email: `lockout-${framework}@example.com`,
      password: 'correct horse battery staple',
    };
    const registered = await alternate(1, '/api/v1/auth/register', post(user));
    expect(registered.status, await registered.text()).toBe(201);
    for (let n = 1; n <= MAX_FAILED_LOGINS; n++) {
      const failed = await alternate(n, '/api/v1/auth/login', post({ ...user, password: 'wrong' }));
      expect(failed.status, await failed.text()).toBe(401);
    }
    // The right password is refused on both instances while the account is locked.
    for (let n = 1; n <= 2; n++) {
      const locked = await alternate(n, '/api/v1/auth/login', post(user));
      expect(locked.status).toBe(429);
      expect(await locked.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(locked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(FAILED_LOGIN_WINDOW_S - 60);
      expect(retryAfter).toBeLessThanOrEqual(FAILED_LOGIN_WINDOW_S);
    }
    // Per client, and for the account as a whole (one Redis Cluster slot: the account is the tag).
    const counters = (await ourKeys(client())).filter((key) =>
      key.startsWith(`login-failures:{${user.email}}`),
    );
    expect(counters).toEqual([
      `login-failures:{${user.email}}`,
      `login-failures:{${user.email}}:127.0.0.1`,
    ]);
    // Unlocking is Redis's job too: once the counters are gone, both instances let the user in.
    await client().del(...counters);
    for (let n = 1; n <= 2; n++) {
      const login = await alternate(n, '/api/v1/auth/login', post(user));
      expect(login.status, await login.text()).toBe(200);
    }
  });

  it('a session ended on one instance refuses its access token on the other at once', async () => {
    const user = {
      email: `sessions-${framework}@example.com`,
      password: 'correct horse battery staple',
    };
    expect((await alternate(1, '/api/v1/auth/register', post(user))).status).toBe(201);
    const signIn = async (n: number) =>
      (await (await alternate(n, '/api/v1/auth/login', post(user))).json()) as {
        accessToken: string;
        refreshToken: string;
      };
    const me = async (n: number, accessToken: string) => {
      const response = await alternate(n, '/api/v1/auth/me', {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      await response.arrayBuffer();
      return response.status;
    };
    const laptop = await signIn(1);
    const phone = await signIn(2);
    expect(await me(2, laptop.accessToken)).toBe(200);
    const logout = await alternate(
      1,
      '/api/v1/auth/logout',
      post({ refreshToken: laptop.refreshToken }),
    );
    expect(logout.status).toBe(204);
    expect(await me(2, laptop.accessToken)).toBe(401);
    expect(await me(1, phone.accessToken)).toBe(200);
    const logoutAll = await alternate(2, '/api/v1/auth/logout-all', {
      method: 'POST',
      headers: { authorization: `Bearer ${phone.accessToken}` },
    });
    expect(logoutAll.status).toBe(204);
    expect(await me(1, phone.accessToken)).toBe(401);

    // The first logout's write to Redis is lost (its instance crashed, Redis was away): a retried
    // logout on another instance must not answer 204 before the token is refused there.
    const tablet = await signIn(1);
    const tabletSession = (
      JSON.parse(Buffer.from(tablet.accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
        sid: string;
      }
    ).sid;
    expect(
      (await alternate(1, '/api/v1/auth/logout', post({ refreshToken: tablet.refreshToken })))
        .status,
    ).toBe(204);
    await client().del(`ended-session:${tabletSession}`);
    expect(await me(2, tablet.accessToken)).toBe(200);
    expect(
      (await alternate(2, '/api/v1/auth/logout', post({ refreshToken: tablet.refreshToken })))
        .status,
    ).toBe(204);
    expect(await me(2, tablet.accessToken)).toBe(401);
  });

  it('the credential limit (register + login per client) counts both instances together', async () => {
    let firstLimited = 0;
    for (let n = 1; n <= 2 * AUTH_RATE_LIMIT_MAX + 1 && firstLimited === 0; n++) {
      // A different unknown account each time, so the per-account lockout never triggers.
      const response = await alternate(
        n,
        '/api/v1/auth/login',
        post({ email: `nobody-${String(n)}@example.com`, password: 'not a real password' }),
      );
      const text = await response.text();
      if (response.status === 429) firstLimited = n;
      else expect(response.status, text).toBe(401);
    }
    expect(firstLimited).toBe(AUTH_RATE_LIMIT_MAX + 1);
  });
});
