import { existsSync } from 'node:fs';
import path from 'node:path';

// Migrations are written by `prisma migrate diff`, which needs Prisma's schema engine. Where
// Prisma's download host is unreachable (this project's CI) the stand-in beside the repository is
// used when the variable is unset; generated projects never reference it.
const standIn = path.resolve(import.meta.dirname, '../../../../shared/prisma-engine/schema-engine');
if (process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined && existsSync(standIn)) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = standIn;
}
