import { useSchemaEngineStandIn } from '@svcgen/core/testing';

/** Environment for the e2e tier. */
useSchemaEngineStandIn();
// DATABASE_URL set (CI): generated services use that server. Unset: their embedded PostgreSQL.
if (process.env.DATABASE_URL === '') delete process.env.DATABASE_URL;
