import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SqlDriverAdapter, SqlQuery, SqlResultSet } from '@prisma/driver-adapter-utils';
import type { DiffParams, SchemaEngine } from '@prisma/schema-engine-wasm';
import { GenError } from './errors.js';

/**
 * Prisma's schema engine, the one behind `prisma migrate diff`, run in this process from Prisma's
 * own WebAssembly build (`@prisma/schema-engine-wasm`, pinned to the engine version of the `prisma`
 * package; a test compares the two and the SQL they write). Starting the Prisma CLI in a second
 * Node process cost ~0.9 s per run; this costs ~0.1 s.
 */

/** The engine version this build must be: the hash after the last dot of its package version. */
export function schemaEngineVersion(): string {
  return glue().version();
}

/**
 * The SQL that takes a PostgreSQL database from the `before` schema to the `after` schema, as
 * `prisma migrate diff --from-schema before.prisma --to-schema after.prisma --script` prints it.
 */
export async function diffSchemas(before: string, after: string): Promise<string> {
  const params: DiffParams = {
    from: { tag: 'schemaDatamodel', files: [{ path: 'before.prisma', content: before }] },
    to: { tag: 'schemaDatamodel', files: [{ path: 'after.prisma', content: after }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  };
  try {
    const { stdout } = await (await engine()).diff(params);
    // The CLI prints the engine's script with console.log: one more newline.
    return `${stdout ?? ''}\n`;
  } catch (error) {
    throw new GenError(`prisma migrate diff failed: ${engineMessage(error)}`);
  }
}

type Glue = typeof import('@prisma/schema-engine-wasm');

let loadedGlue: Glue | undefined;
let started: Promise<SchemaEngine> | undefined;

/**
 * The package's own entry imports the `.wasm` file as an ES module, which Node does not do without
 * a flag; this does what that import does (wasm-bindgen's bundler target), synchronously.
 */
function glue(): Glue {
  if (loadedGlue !== undefined) return loadedGlue;
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bindings = require(gluePath) as Glue & { __wbg_set_wasm(exports: unknown): void };
  const wasm = new WebAssemblyApi.Module(
    readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm')),
  );
  const { exports } = new WebAssemblyApi.Instance(wasm, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(exports);
  const start = exports.__wbindgen_start as (() => void) | undefined;
  start?.();
  loadedGlue = bindings;
  return bindings;
}

/** The part of the WebAssembly global used here (@types/node leaves it to the DOM library). */
const WebAssemblyApi = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (
        module: object,
        imports: Record<string, object>,
      ) => { exports: Record<string, unknown> };
    };
  }
).WebAssembly;

function engine(): Promise<SchemaEngine> {
  started ??= (async () => {
    const { bindMigrationAwareSqlAdapterFactory } = await import('@prisma/driver-adapter-utils');
    const factory = {
      provider: 'postgres' as const,
      adapterName: '@prisma/adapter-pg',
      connect: () => Promise.resolve(noDatabase()),
      connectToShadowDb: () => Promise.resolve(noDatabase()),
    };
    return glue().SchemaEngine.new(
      { datamodels: undefined },
      () => undefined,
      bindMigrationAwareSqlAdapterFactory(factory),
    );
  })();
  return started;
}

/**
 * A diff between two schema files needs no database, but the engine's WebAssembly build asks the
 * one it is given for its version when it starts (the native engine, given no URL, asks nothing).
 * This answers that question as a PostgreSQL 15 server would and refuses every other: a query that
 * would have needed a real database fails loudly instead of being answered wrongly.
 */
const VERSION_PROBE = 'SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = $1), version()';

function noDatabase(): SqlDriverAdapter {
  const refuse = (what: string) =>
    Promise.reject(
      new Error(`the schema engine asked for ${what}; a schema diff needs no database`),
    );
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    queryRaw(query: SqlQuery): Promise<SqlResultSet> {
      if (query.sql.startsWith(VERSION_PROBE)) {
        return Promise.resolve({
          columnNames: ['exists', 'version', 'numeric_version'],
          columnTypes: [5, 7, 0], // Boolean, Text, Int32
          rows: [[true, 'PostgreSQL 15.0', 150000]],
        });
      }
      return refuse(`the query ${JSON.stringify(query.sql.slice(0, 80))}`);
    },
    executeRaw: () => refuse('a statement'),
    executeScript: () => refuse('a script'),
    startTransaction: () => refuse('a transaction'),
    dispose: () => Promise.resolve(),
  };
}

function engineMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // The engine's errors are JSON ({ message, error_code, meta }) or plain text.
  try {
    const parsed = JSON.parse(error.message) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // plain text
  }
  return error.message;
}
