#!/usr/bin/env node
// The main job, end to end: generate a service outside this repository with `pnpm gen`, install
// it, run its own tests against PostgreSQL, build it, start it and call it, then stop it.
//
//   pnpm demo [express|fastify] [--keep]
//
// DATABASE_URL names the PostgreSQL server to use (default: postgres on 127.0.0.1:5432); the demo
// creates its own database there and drops it at the end. --keep leaves the generated service.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const framework = args.find((arg) => !arg.startsWith('--')) ?? 'fastify';
const keep = args.includes('--keep');
if (!['express', 'fastify'].includes(framework)) {
  console.error(`usage: pnpm demo [express|fastify] [--keep]`);
  process.exit(2);
}
const serverUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
// Machines that cannot download Prisma's schema engine (this project's CI) keep a stand-in beside
// the repository; it is used only when present and the variable is unset. Generated projects never
// reference it.
const standIn = path.resolve(repoRoot, '../shared/prisma-engine/schema-engine');
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(standIn)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;
}

function step(title) {
  console.log(`\n\u001b[1m▶ ${title}\u001b[0m`);
}

/** Runs a command with inherited output; rejects on a non-zero exit. */
function run(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${commandArgs.join(' ')} exited ${code}`)),
    );
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function psql(sql) {
  await run('psql', [serverUrl, '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
}

const workDir = await mkdtemp(path.join(tmpdir(), 'svcgen-demo-'));
const serviceDir = path.join(workDir, 'demo');
const database = `svcgen_demo_${randomBytes(4).toString('hex')}`;
const databaseUrl = Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
let databaseCreated = false;

try {
  step(`pnpm gen service demo --framework ${framework}   (in ${workDir})`);
  await run(
    process.execPath,
    [
      path.join(repoRoot, 'packages/cli/dist/bin.js'),
      'service',
      'demo',
      '--framework',
      framework,
      '--dir',
      '.',
      '--yes',
    ],
    {
      cwd: workDir,
      env: { ...process.env, INIT_CWD: workDir },
    },
  );

  step('pnpm install');
  await run('pnpm', ['install', '--no-frozen-lockfile'], { cwd: serviceDir });

  step('pnpm test   (its own tests, against a throwaway database on DATABASE_URL)');
  await run('pnpm', ['test'], {
    cwd: serviceDir,
    env: { ...process.env, DATABASE_URL: serverUrl },
  });

  step(`create database ${database}, pnpm db:deploy, pnpm build`);
  await psql(`CREATE DATABASE "${database}"`);
  databaseCreated = true;
  await run('pnpm', ['run', 'db:deploy'], {
    cwd: serviceDir,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  await run('pnpm', ['run', 'build'], { cwd: serviceDir });

  const port = await freePort();
  step(`node dist/server.js   (PORT=${port})`);
  const server = spawn(process.execPath, ['dist/server.js'], {
    cwd: serviceDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: 'inherit',
  });
  const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${base}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 100) throw new Error('the service did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const route of ['/health/ready', '/nope']) {
    const response = await fetch(base + route);
    console.log(
      `GET ${route} → ${response.status} ${response.headers.get('content-type')}\n  ${await response.text()}`,
    );
  }
  const openapi = await (await fetch(`${base}/openapi.json`)).json();
  console.log(
    `GET /openapi.json → OpenAPI ${openapi.openapi}, "${openapi.info.title}", paths: ${Object.keys(openapi.paths).join(', ')}`,
  );
  console.log(`GET /docs → ${(await fetch(`${base}/docs`)).status} (Swagger UI)`);

  step('SIGTERM');
  server.kill('SIGTERM');
  console.log(`exited with ${await exited}`);
  console.log(`\n✔ ${framework} service generated, tested, built, served and stopped cleanly.`);
  if (keep) console.log(`  It is in ${serviceDir}`);
} finally {
  if (databaseCreated) await psql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  if (!keep) await rm(workDir, { recursive: true, force: true });
}
