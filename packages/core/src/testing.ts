/**
 * Helpers for generator tests (imported as `@svcgen/core/testing`; never by generated code).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every file under `dir` (POSIX paths relative to it) with its content: a tree to compare byte for byte. */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries.filter((item) => item.isFile())) {
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full).split(path.sep).join('/')] = await readFile(full, 'utf8');
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Prisma's CLI downloads its schema engine on first use. Where that host is unreachable (this
 * project's CI), the stand-in kept beside the repository (`../shared/prisma-engine`) is used when
 * PRISMA_SCHEMA_ENGINE_BINARY is unset. Generated projects never reference it.
 */
export function useSchemaEngineStandIn(): void {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
  const standIn = path.resolve(repoRoot, '../shared/prisma-engine/schema-engine');
  if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined && existsSync(standIn)) {
    process.env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;
  }
}
