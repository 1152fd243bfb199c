import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { GenError, UsageError } from './errors.js';
import type { PostStep } from './generator.js';
import { names } from './names.js';
import type { Tree } from './tree.js';

/** What the generators share about a service made by `gen service`. */

export const FRAMEWORKS = ['express', 'fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** The Prisma schema of a service, relative to its folder. */
export const SERVICE_SCHEMA = 'prisma/schema.prisma';

/**
 * The object in src/app.ts's buildApp() that lists the API's route modules by path under /api/v1:
 * where generators mount routes (services generated before it existed get a statement instead).
 */
export const API_ROUTES = 'apiRoutes';

/** The models and enum `gen jwt-auth` owns in a service's schema; nothing else may write them. */
export const AUTH_SCHEMA_NAMES = ['User', 'Session', 'RefreshToken', 'Role'] as const;

/**
 * Finds a service made by `gen service`, on disk: `shop` looks in `<cwd>/services/shop`, then
 * `<cwd>/shop`; anything with a slash or a leading dot (`.`, `../shop`, `/home/me/shop`) is a path,
 * relative to `cwd`, and means exactly that folder. Returns its absolute path.
 */
export function locateService(cwd: string, service: string): string {
  const isPath = service.includes('/') || service.includes('\\') || service.startsWith('.');
  const candidates = isPath
    ? [service]
    : [`services/${names(service).kebab}`, names(service).kebab];
  for (const candidate of candidates) {
    const dir = path.resolve(cwd, candidate);
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, SERVICE_SCHEMA))) {
      assertWritableDir(dir, `--service ${service}`);
      return dir;
    }
  }
  throw new UsageError(
    `no service found for --service ${JSON.stringify(service)} (looked in ${candidates.join(', ')}): ` +
      'give the name of a service made by "pnpm gen service" or the path to it',
  );
}

/**
 * Refuses (exit 2) a folder a run could not write into: `dir` itself, or, where it does not exist
 * yet, the nearest folder above it that does. `what` names the flag in the message.
 */
export function assertWritableDir(dir: string, what: string): void {
  let existing = path.resolve(dir);
  while (!existsSync(existing)) existing = path.dirname(existing);
  if (!statSync(existing).isDirectory()) {
    throw new UsageError(`${what}: ${displayPath(existing)} is a file, not a folder`);
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${what}: cannot write in ${displayPath(existing)} (permission denied)`);
  }
}

/**
 * A folder as the user would type it from where they ran the command (pnpm runs scripts from
 * the workspace root and sets INIT_CWD to the user's folder): relative below it, absolute elsewhere.
 */
export function displayPath(absolute: string, from?: string): string {
  const relative = path.relative(from ?? process.env.INIT_CWD ?? process.cwd(), absolute);
  if (relative === '') return '.';
  if (relative.startsWith('..') || path.isAbsolute(relative)) return absolute;
  return relative.split(path.sep).join('/');
}

export function serviceFramework(tree: Tree, service: string): Framework {
  const pkg = JSON.parse(tree.read(`${service}/package.json`) ?? '{}') as {
    dependencies?: Record<string, string>;
  };
  if (pkg.dependencies?.fastify !== undefined) return 'fastify';
  if (pkg.dependencies?.express !== undefined) return 'express';
  throw new GenError(`${service}/package.json depends on neither express nor fastify`);
}

export interface PackageDependencies {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}

/**
 * Adds dependencies to a service's package.json (sorted, exact versions), keeping everything else
 * as it is; a no-op when each is already there at that version.
 */
export function addDependencies(tree: Tree, service: string, added: PackageDependencies): void {
  const file = `${service}/package.json`;
  const pkg = JSON.parse(tree.read(file) ?? '{}') as Record<string, unknown>;
  let changed = false;
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const wanted = added[field] ?? {};
    const current = (pkg[field] ?? {}) as Record<string, string>;
    if (Object.entries(wanted).every(([name, version]) => current[name] === version)) continue;
    pkg[field] = Object.fromEntries(
      Object.entries({ ...current, ...wanted }).sort(([a], [b]) => a.localeCompare(b)),
    );
    changed = true;
  }
  if (changed) tree.overwrite(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * The opt-in post-steps of a run on a service: `--install` installs its dependencies, `--migrate`
 * regenerates the Prisma client and applies the migrations (to DATABASE_URL, or the embedded
 * development database).
 */
export function serviceSteps(
  service: string,
  options: { readonly install: boolean; readonly migrate: boolean },
): PostStep[] {
  const pnpm = (title: string, ...args: string[]): PostStep => ({
    title,
    cwd: service,
    command: 'pnpm',
    args,
  });
  return [
    ...(options.install ? [pnpm('install dependencies', 'install')] : []),
    ...(options.migrate
      ? [
          pnpm('generate the Prisma client', 'run', 'db:generate'),
          pnpm('apply migrations', 'run', 'db:deploy'),
        ]
      : []),
  ];
}
