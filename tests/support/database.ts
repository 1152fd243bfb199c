import { randomBytes } from 'node:crypto';
import { run } from './process.js';

/** The server the e2e tier creates its throwaway databases on (CI sets DATABASE_URL). */
export function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '')
    throw new Error('DATABASE_URL must point at a PostgreSQL server for the e2e tier');
  return url;
}

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a database with a unique name; only databases made here are ever dropped. */
export async function createDatabase(
  prefix: string,
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await psql(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: databaseUrl(name),
    drop: () => psql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function psql(sql: string): Promise<void> {
  const result = await run('psql', [serverUrl(), '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    cwd: process.cwd(),
  });
  if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
}
