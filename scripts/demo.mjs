#!/usr/bin/env node
// The main job, end to end: generate a service with auth and an owned resource outside this
// repository with `pnpm gen`, install it, run its own tests, start it, call it, then stop it.
//
//   pnpm demo [express|fastify] [--keep]
//
// With DATABASE_URL (a PostgreSQL server) the demo creates its own database there, builds the
// service and starts it as in production, and drops the database at the end. Without it, the
// service runs on its embedded PostgreSQL (`pnpm dev`): no server needed. --keep leaves the service.
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
const serverUrl = process.env.DATABASE_URL || undefined;
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
  await run('psql', [serverUrl ?? '', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
}

const workDir = await mkdtemp(path.join(tmpdir(), 'svcgen-demo-'));
const serviceDir = path.join(workDir, 'demo');
const database = `svcgen_demo_${randomBytes(4).toString('hex')}`;
const databaseUrl =
  serverUrl === undefined
    ? undefined
    : Object.assign(new URL(serverUrl), { pathname: `/${database}` }).toString();
let databaseCreated = false;
const gen = (...args) =>
  run(process.execPath, [path.join(repoRoot, 'packages/cli/dist/bin.js'), ...args, '--yes'], {
    cwd: workDir,
    env: { ...process.env, INIT_CWD: workDir },
  });

try {
  step(`pnpm gen service demo --framework ${framework}   (in ${workDir})`);
  await gen('service', 'demo', '--framework', framework, '--dir', '.');
  step('pnpm gen jwt-auth --service ./demo');
  await gen('jwt-auth', '--service', './demo');
  step(
    'pnpm gen api-resource note --service ./demo --owned --fields "body:text:max=2000 pinned:boolean:default=false"',
  );
  await gen(
    'api-resource',
    'note',
    '--service',
    './demo',
    '--owned',
    '--fields',
    'body:text:max=2000 pinned:boolean:default=false',
  );

  step('pnpm install');
  await run('pnpm', ['install', '--no-frozen-lockfile'], { cwd: serviceDir });

  step(
    `pnpm test   (${serverUrl === undefined ? 'embedded PostgreSQL' : 'a throwaway database on DATABASE_URL'})`,
  );
  await run('pnpm', ['test'], {
    cwd: serviceDir,
    env: { ...process.env, DATABASE_URL: serverUrl ?? '' },
  });

  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(48).toString('base64url'),
  };
  let server;
  if (databaseUrl === undefined) {
    step(`pnpm dev   (embedded PostgreSQL, PORT=${port})`);
    server = spawn(
      process.execPath,
      [path.join(serviceDir, 'node_modules/tsx/dist/cli.mjs'), 'scripts/dev.ts'],
      {
        cwd: serviceDir,
        env: { ...env, DATABASE_URL: '' },
        stdio: 'inherit',
      },
    );
  } else {
    step(
      `create database ${database}, pnpm db:deploy, pnpm build, node dist/server.js (PORT=${port})`,
    );
    await psql(`CREATE DATABASE "${database}"`);
    databaseCreated = true;
    await run('pnpm', ['run', 'db:deploy'], {
      cwd: serviceDir,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    await run('pnpm', ['run', 'build'], { cwd: serviceDir });
    server = spawn(process.execPath, ['dist/server.js'], {
      cwd: serviceDir,
      env: { ...env, DATABASE_URL: databaseUrl, NODE_ENV: 'production' },
      stdio: 'inherit',
    });
  }
  const exited = new Promise((resolve) => server.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 300) throw new Error('the service did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const show = async (label, method, route, body, token) => {
    const response = await fetch(base + route, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    console.log(
      `${label}: ${method} ${route} → ${response.status}\n  ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`,
    );
    return text ? JSON.parse(text) : null;
  };
  step('calls');
  await show('readiness', 'GET', '/health/ready');
  const account = { email: 'ada@example.com', password: 'correct horse battery staple' };
  await show('register', 'POST', '/api/v1/auth/register', account);
  const { accessToken } = await show('login', 'POST', '/api/v1/auth/login', account);
  await show(
    'create a note (owned)',
    'POST',
    '/api/v1/notes',
    { body: 'Remember the milk' },
    accessToken,
  );
  await show('list my notes', 'GET', '/api/v1/notes', undefined, accessToken);
  await show('without a token', 'GET', '/api/v1/notes');
  await show('an unknown route', 'GET', '/nope');
  const openapi = await (await fetch(`${base}/openapi.json`)).json();
  console.log(
    `GET /openapi.json → OpenAPI ${openapi.openapi}, "${openapi.info.title}", paths: ${Object.keys(openapi.paths).join(', ')}`,
  );
  console.log(`GET /docs → ${(await fetch(`${base}/docs`)).status} (Swagger UI)`);

  step('SIGTERM');
  server.kill('SIGTERM');
  const code = await exited;
  console.log(`exited with ${code}`);
  if (code !== 0) throw new Error(`the service exited with ${code}`);
  console.log(
    `\n✔ ${framework} service with auth and an owned resource: generated, tested, served and stopped cleanly.`,
  );
  if (keep) console.log(`  It is in ${serviceDir}`);
} finally {
  if (databaseCreated) await psql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  if (!keep) await rm(workDir, { recursive: true, force: true });
}
