/**
 * A private PostgreSQL cluster for one test: its own data directory in a fresh temporary
 * directory, its own port on 127.0.0.1 and its own unix socket, so a test can restart or stop it
 * without touching any other server (never the shared one on 5432).
 *
 * initdb and postgres refuse to run as root; as root the binaries run as the `postgres` OS user
 * (runuser), which owns the temporary directory. Otherwise they run as the current user.
 */
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, run, type CommandResult } from './process.js';

export interface PrivateCluster {
  readonly port: number;
  /** A connection URL for `database` (TCP on 127.0.0.1, trust authentication, no TLS). */
  url(database: string): string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL through psql; returns its unaligned, tuples-only output. */
  query(database: string, sql: string): Promise<string>;
  /** `pg_ctl restart -m fast`: drops every connection, then accepts new ones again. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster (if it runs) and removes its directory. */
  destroy(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): Promise<string>;
}

const SUPERUSER = 'postgres';

/** The bin directory of the newest PostgreSQL under /usr/lib/postgresql (Debian's layout). */
async function binDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? (await readdir(root))
        .filter(
          (name) => /^\d+(\.\d+)?$/.test(name) && existsSync(path.join(root, name, 'bin/pg_ctl')),
        )
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error(`no PostgreSQL binaries (bin/pg_ctl) under ${root}`);
  return path.join(root, newest, 'bin');
}

async function osUser(name: string): Promise<{ uid: number; gid: number }> {
  const ids = await Promise.all(
    ['-u', '-g'].map(async (flag) => {
      const result = await run('id', [flag, name], { cwd: '/' });
      if (result.code !== 0) throw new Error(`no OS user ${name}: ${result.stderr}`);
      return Number(result.stdout.trim());
    }),
  );
  return { uid: ids[0] ?? NaN, gid: ids[1] ?? NaN };
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const bin = await binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(path.join(tmpdir(), 'svcgen-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const port = await freePort();

  /** Runs a PostgreSQL binary (as the postgres user when we are root); fails on a non-zero exit. */
  const pg = async (binary: string, args: readonly string[]): Promise<CommandResult> => {
    const command = path.join(bin, binary);
    const result = asRoot
      ? await run('runuser', ['-u', SUPERUSER, '--', command, ...args], {
          cwd: dir,
          timeoutMs: 60_000,
        })
      : await run(command, args, { cwd: dir, timeoutMs: 60_000 });
    if (result.code !== 0) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(
        `${binary} ${args.join(' ')} exited ${String(result.code)}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n--- server log\n${log}`,
      );
    }
    return result;
  };
  const pgCtl = (action: string, ...extra: string[]) =>
    pg('pg_ctl', [action, '-D', dataDir, '-l', logFile, '-w', '-t', '30', ...extra]);

  const url = (database: string) =>
    `postgresql://${SUPERUSER}@127.0.0.1:${String(port)}/${encodeURIComponent(database)}?sslmode=disable`;
  const query = async (database: string, sql: string): Promise<string> => {
    const result = await run(
      path.join(bin, 'psql'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        SUPERUSER,
        '-d',
        database,
        '-X',
        '-At',
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        sql,
      ],
      { cwd: dir, timeoutMs: 60_000 },
    );
    if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout;
  };

  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    try {
      if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
        // Fast first; immediate when that does not end it (nothing here needs a clean shutdown).
        await pgCtl('stop', '-m', 'fast').catch(() => pgCtl('stop', '-m', 'immediate'));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  try {
    if (asRoot) {
      const { uid, gid } = await osUser(SUPERUSER);
      await chown(dir, uid, gid);
    }
    await pg('initdb', [
      '-D',
      dataDir,
      '-U',
      SUPERUSER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    // In postgresql.conf (not pg_ctl -o), so every start and restart uses the same settings.
    const conf = path.join(dataDir, 'postgresql.conf');
    await writeFile(
      conf,
      `${await readFile(conf, 'utf8')}
# svcgen tests: a private, throw-away cluster
listen_addresses = '127.0.0.1'
port = ${String(port)}
unix_socket_directories = '${dir}'
fsync = off
full_page_writes = off
max_connections = 100
`,
    );
    await pgCtl('start');
  } catch (error) {
    await destroy();
    throw error;
  }

  return {
    port,
    url,
    query,
    async createDatabase(name) {
      await query('postgres', `CREATE DATABASE "${name}"`);
      return url(name);
    },
    async restart() {
      await pgCtl('restart', '-m', 'fast');
    },
    async stop() {
      await pgCtl('stop', '-m', 'fast');
    },
    async start() {
      await pgCtl('start');
    },
    destroy,
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
}
