import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, listDatabases, serverUrl } from '../support/database.js';
import { gen } from '../support/generate.js';
import { onNode } from '../support/node-binaries.js';
import { freePort, run, runOk, startServer } from '../support/process.js';
import { deployedDatabase, startBuiltService } from './built-service.js';
import { E2E_JWT_SECRET, FRAMEWORKS, STEPS } from './setup.js';

// Generated, installed and built once by e2e/setup.ts.
describe.each(FRAMEWORKS)('gen service --framework %s, generated outside the repo', (framework) => {
  const { workDir, serviceDir, installOutput } = inject('services')[framework];

  it('is a standalone project on Node 22.12+: pinned versions, no workspace links', async () => {
    const pkg = JSON.parse(await readFile(path.join(serviceDir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    expect(pkg.engines).toEqual({ node: '>=22.12' });
    const versions = Object.values({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(versions.length).toBeGreaterThan(10);
    for (const version of versions) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('re-running the same generator commands changes nothing', async () => {
    const again = await gen(['service', 'shop', '--framework', framework, '--dir', '.'], workDir);
    expect(again.stdout).toContain('nothing to do');
    for (const step of STEPS) {
      const rerun = await gen(step, workDir);
      expect(rerun.stdout, step.join(' ')).toContain('nothing to do');
    }
  });

  it('committed one Prisma migration per resource', async () => {
    const migrations = (await readdir(path.join(serviceDir, 'prisma/migrations'))).sort();
    expect(migrations.map((name) => name.replace(/^\d{14}_/, ''))).toEqual([
      'add_auth',
      'add_category',
      'add_product',
      'add_folder',
      'add_note',
      'add_supplier',
      'add_memo',
      'add_offer',
      'migration_lock.toml',
    ]);
  });

  it('typechecks', async () => {
    await runOk('pnpm', ['run', 'typecheck'], { cwd: serviceDir });
  });

  it('lints clean and is formatted', async () => {
    await runOk('pnpm', ['run', 'lint'], { cwd: serviceDir });
    await runOk('pnpm', ['run', 'format:check'], { cwd: serviceDir });
  });

  it('installs without a warning (no engine, peer or deprecation warnings)', () => {
    const output = stripVTControlCharacters(installOutput);
    expect(output).toContain('Done in');
    expect(output.split('\n').filter((line) => /\bWARN\b|unsupported engine/i.test(line))).toEqual(
      [],
    );
  });

  // Its own suite on each supported Node line, on the PostgreSQL server (when DATABASE_URL names
  // one) and on the embedded database.
  const databases = serverUrl() === undefined ? ['embedded'] : ['server', 'embedded'];
  const suites = Object.entries(inject('nodeBinaries')).flatMap(([label, node]) =>
    databases.map((database) => [label, database, node] as const),
  );
  it.each(suites)('passes its own tests on %s, %s PostgreSQL', async (label, database, node) => {
    const env = { ...onNode(node), ...(database === 'embedded' ? { DATABASE_URL: '' } : {}) };
    const version = await runOk('pnpm', ['exec', 'node', '--version'], { cwd: serviceDir, env });
    expect(`node ${version.stdout.trim().replace(/^v/, '')}`).toBe(label);
    const server = serverUrl();
    const before = server === undefined ? [] : await listDatabases(server);
    const result = await runOk('pnpm', ['test'], { cwd: serviceDir, env, timeoutMs: 600_000 });
    expectAllPassed(stripVTControlCharacters(result.stdout));
    // The embedded run never touches the server; the server run drops what it created.
    if (server !== undefined) expect(await listDatabases(server)).toEqual(before);
  });

  it('pnpm dev without DATABASE_URL: embedded database, restarts on a change, data kept across a restart, clean exit', async () => {
    const tsx = path.join(serviceDir, 'node_modules/tsx/dist/cli.mjs');
    const start = async () => {
      const port = await freePort();
      // The dev script itself (what `pnpm dev` runs), so the signal reaches it directly.
      const dev = await startServer(process.execPath, [tsx, 'scripts/dev.ts'], {
        cwd: serviceDir,
        port,
        readyPath: '/health/ready',
        timeoutMs: 120_000,
        env: {
          DATABASE_URL: '',
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          JWT_SECRET: E2E_JWT_SECRET,
        },
      });
      return dev;
    };
    await rm(path.join(serviceDir, '.data'), { recursive: true, force: true });
    const routes = path.join(serviceDir, 'src/modules/health/health.routes.ts');
    const original = await readFile(routes, 'utf8');
    const first = await start();
    let id: string | undefined;
    try {
      expect(first.output()).toContain('embedded PostgreSQL');
      const created = await fetch(`${first.baseUrl}/api/v1/categories`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Kept across restarts' }),
      });
      expect(created.status).toBe(201);
      id = ((await created.json()) as { id: string }).id;

      // Watch mode: changing a module the server imports restarts it, and the new process runs
      // the changed code (it prints a marker when imported) and serves. The file is put back only
      // after the dev server has stopped: a second change written while Node's watcher is
      // between processes is not seen (the watcher re-learns the imported files from the new
      // process), which made a "restore, then expect a second restart" check flaky.
      const marker = `reloaded-by-e2e-${String(process.pid)}`;
      await writeFile(routes, `${original}process.stderr.write('${marker}\\n');\n`);
      await eventually(() => first.output().includes("Restarting 'src/server.ts'"));
      await eventually(() => first.output().includes(marker));
      await eventually(() => answersReady(first.baseUrl));
    } finally {
      try {
        expect(await first.stop()).toBe(0);
      } finally {
        await writeFile(routes, original);
      }
    }
    expect(await portAnswers(first.baseUrl)).toBe(false);
    const second = await start();
    try {
      const fetched = await fetch(`${second.baseUrl}/api/v1/categories/${id}`);
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toMatchObject({ name: 'Kept across restarts' });
    } finally {
      expect(await second.stop()).toBe(0);
    }
    expect(await portAnswers(second.baseUrl)).toBe(false);
  });

  describe('built and started', () => {
    let database: Awaited<ReturnType<typeof createDatabase>>;
    beforeAll(async () => {
      database = await deployedDatabase(serviceDir, 'svcgen_e2e');
    });
    afterAll(async () => {
      await database.drop();
    });

    it('refuses to start in production with a weak or development JWT_SECRET: exit 1, one message', async () => {
      const env = await readFile(path.join(serviceDir, '.env'), 'utf8');
      const development = /^JWT_SECRET=(.+)$/m.exec(env)?.[1] ?? '';
      expect(development).toHaveLength(64);
      for (const [secret, problem] of [
        ['abcdefghi'.repeat(8), 'has fewer than 10 distinct characters'],
        [development, 'is the development secret from .env'],
      ] as const) {
        const result = await run(process.execPath, ['dist/server.js'], {
          cwd: serviceDir,
          env: {
            DATABASE_URL: database.url,
            PORT: String(await freePort()),
            HOST: '127.0.0.1',
            NODE_ENV: 'production',
            JWT_SECRET: secret,
          },
          timeoutMs: 30_000,
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(
          `Invalid configuration:\n  - JWT_SECRET ${problem}; in production set a random one: openssl rand -base64 48\n`,
        );
      }
    });

    it.each(Object.entries(inject('nodeBinaries')))(
      'on %s: serves /health/ready and /docs, then exits 0 on SIGTERM',
      async (_label, node) => {
        // Spawned without pnpm in between, so the signal reaches the server itself.
        const pkg = JSON.parse(await readFile(path.join(serviceDir, 'package.json'), 'utf8')) as {
          scripts: Record<string, string>;
        };
        expect(pkg.scripts.start).toBe('node dist/server.js');
        const server = await startBuiltService(
          serviceDir,
          database.url,
          { LOG_LEVEL: 'info' },
          node,
        );
        try {
          const ready = await fetch(`${server.baseUrl}/health/ready`);
          expect(ready.status).toBe(200);
          expect(await ready.json()).toEqual({ status: 'ok' });
          const docs = await fetch(`${server.baseUrl}/docs`, { redirect: 'follow' });
          expect(docs.status).toBe(200);
          expect(docs.headers.get('content-type')).toContain('text/html');
          const openapi = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as {
            openapi: string;
            info: { title: string };
          };
          expect(openapi.openapi).toMatch(/^3\.1\./);
          expect(openapi.info.title).toMatch(/shop/i);
        } finally {
          expect(await server.stop()).toBe(0);
        }
        expect(server.output()).toContain('stopped');
      },
    );
  });
});

/** Polls `check` until it holds, for at most `timeoutMs`. */
async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`not true within ${String(timeoutMs)} ms: ${String(check)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function answersReady(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Whether anything still answers at this address (the server and its watcher must be gone). */
async function portAnswers(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

/** The Vitest summary says every test ran and passed: none failed, skipped or todo. */
function expectAllPassed(output: string): void {
  const summary = /^\s*Tests\s+(.+)$/m.exec(output)?.[1] ?? '';
  const match = /^(\d+) passed \((\d+)\)$/.exec(summary.trim());
  expect(match, summary).not.toBeNull();
  expect(Number(match?.[1])).toBeGreaterThan(0);
  expect(match?.[1]).toBe(match?.[2]);
}
