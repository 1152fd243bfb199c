import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../support/database.js';
import { gen, install, outsideDir } from '../support/generate.js';
import { freePort, runOk, startServer } from '../support/process.js';

const FRAMEWORKS = ['express', 'fastify'] as const;

describe.each(FRAMEWORKS)('gen service --framework %s, generated outside the repo', (framework) => {
  let serviceDir = '';
  let workDir = '';

  beforeAll(async () => {
    workDir = await outsideDir(`e2e-${framework}`);
    await gen(['service', 'shop', '--framework', framework, '--dir', '.'], workDir);
    serviceDir = path.join(workDir, 'shop');
    await install(serviceDir);
  });

  it('is a standalone project: pinned versions, no workspace links', async () => {
    const pkg = JSON.parse(await readFile(path.join(serviceDir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    const versions = Object.values({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(versions.length).toBeGreaterThan(10);
    for (const version of versions) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('re-running the generator changes nothing', async () => {
    const again = await gen(['service', 'shop', '--framework', framework, '--dir', '.'], workDir);
    expect(again.stdout).toContain('nothing to do');
  });

  it('typechecks', async () => {
    await runOk('pnpm', ['run', 'typecheck'], { cwd: serviceDir });
  });

  it('lints clean', async () => {
    await runOk('pnpm', ['run', 'lint'], { cwd: serviceDir });
  });

  it('passes its own tests against PostgreSQL', async () => {
    const result = await runOk('pnpm', ['test'], { cwd: serviceDir, timeoutMs: 600_000 });
    const output = stripVTControlCharacters(result.stdout);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/skipped|failed|todo/);
  });

  describe('built and started', () => {
    let database: Awaited<ReturnType<typeof createDatabase>>;
    beforeAll(async () => {
      database = await createDatabase('svcgen_e2e');
      await runOk('pnpm', ['run', 'db:deploy'], {
        cwd: serviceDir,
        env: { DATABASE_URL: database.url },
      });
      await runOk('pnpm', ['run', 'build'], { cwd: serviceDir });
    });
    afterAll(async () => {
      await database.drop();
    });

    it('serves /health/ready and /docs, then exits 0 on SIGTERM', async () => {
      // Spawned without pnpm in between, so the signal reaches the server itself.
      const pkg = JSON.parse(await readFile(path.join(serviceDir, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts.start).toBe('node dist/server.js');
      const port = await freePort();
      const server = await startServer(process.execPath, ['dist/server.js'], {
        cwd: serviceDir,
        port,
        readyPath: '/health/live',
        env: {
          DATABASE_URL: database.url,
          PORT: String(port),
          HOST: '127.0.0.1',
          NODE_ENV: 'production',
          LOG_LEVEL: 'info',
        },
      });
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
    });
  });
});
