import { createDatabase, type TestDatabase } from '../support/database.js';
import { freePort, runOk, startServer, type StartedServer } from '../support/process.js';
import { E2E_JWT_SECRET } from './setup.js';

/** A fresh database for a generated service, with the service's migrations deployed into it. */
export async function deployedDatabase(serviceDir: string, prefix: string): Promise<TestDatabase> {
  const database = await createDatabase(prefix, serviceDir);
  try {
    await runOk('pnpm', ['run', 'db:deploy'], {
      cwd: serviceDir,
      env: { DATABASE_URL: database.url },
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return database;
}

/**
 * Starts a generated service's built server the way `pnpm start` does (without pnpm in between, so
 * signals reach it): production mode on a free port of 127.0.0.1; `env` adds to or overrides that.
 */
export async function startBuiltService(
  serviceDir: string,
  databaseUrl: string,
  env: Record<string, string> = {},
  node = process.execPath,
): Promise<StartedServer> {
  const port = await freePort();
  return startServer(node, ['dist/server.js'], {
    cwd: serviceDir,
    port,
    readyPath: '/health/live',
    env: {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      JWT_SECRET: E2E_JWT_SECRET,
      ...env,
    },
  });
}
