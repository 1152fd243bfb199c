import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from './process.js';

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** The PostgreSQL server the e2e tier uses, or undefined for the embedded default. */
export function serverUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url === undefined || url === '' ? undefined : url;
}

/**
 * A database for a generated service's test: with DATABASE_URL, one with a unique name created on
 * that server (only databases made here are ever dropped); without it, the service's own embedded
 * PostgreSQL (`scripts/embedded-postgres.ts`, what its `pnpm dev` and tests use), in memory.
 */
export async function createDatabase(prefix: string, serviceDir: string): Promise<TestDatabase> {
  const server = serverUrl();
  if (server === undefined) return embeddedDatabase(serviceDir);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await psql(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => psql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

interface EmbeddedPostgresModule {
  startEmbeddedPostgres: () => Promise<{ url: string; stop: () => Promise<void> }>;
}

async function embeddedDatabase(serviceDir: string): Promise<TestDatabase> {
  const script = pathToFileURL(path.join(serviceDir, 'scripts/embedded-postgres.ts')).href;
  const { startEmbeddedPostgres } = (await import(script)) as EmbeddedPostgresModule;
  const database = await startEmbeddedPostgres();
  return { url: database.url, drop: () => database.stop() };
}

/** Names of the databases on the server (to prove a run created none). */
export async function listDatabases(server: string): Promise<string[]> {
  const result = await run(
    'psql',
    [server, '-At', '-c', 'SELECT datname FROM pg_database ORDER BY 1'],
    {
      cwd: process.cwd(),
    },
  );
  if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout.trim().split('\n');
}

async function psql(server: string, sql: string): Promise<void> {
  const result = await run('psql', [server, '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    cwd: process.cwd(),
  });
  if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
}
