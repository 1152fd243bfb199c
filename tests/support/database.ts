import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
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
 * A database for a test: with DATABASE_URL, one with a unique name created on that server (only
 * databases made here are ever dropped); without it, an embedded PostgreSQL (PGlite).
 */
export async function createDatabase(prefix: string): Promise<TestDatabase> {
  const server = serverUrl();
  if (server === undefined) return embeddedDatabase();
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await psql(server, `CREATE DATABASE "${name}"`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => psql(server, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function embeddedDatabase(): Promise<TestDatabase> {
  const db = await PGlite.create();
  const socket = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 100 });
  await socket.start();
  return {
    url: `postgresql://postgres:postgres@${socket.getServerConn()}/postgres?sslmode=disable`,
    drop: async () => {
      await socket.stop();
      await db.close();
    },
  };
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
