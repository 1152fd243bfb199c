import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Environment for the e2e tier. Prisma's CLI downloads its schema engine on first use; where that
 * host is unreachable (this project's CI) the stand-in in ../shared is used, set here only when
 * the variable is unset. Generated projects never reference it.
 */
const repoRoot = path.resolve(import.meta.dirname, '../..');
const standIn = path.resolve(repoRoot, '../shared/prisma-engine/schema-engine');
if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined && existsSync(standIn)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;
}
// DATABASE_URL set (CI): generated services use that server. Unset: their embedded PostgreSQL.
if (process.env.DATABASE_URL === '') delete process.env.DATABASE_URL;
