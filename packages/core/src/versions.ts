/**
 * Every package version a generated project can get, in one place (create-t3-app's
 * dependencyVersionMap). Exact versions: a project generated today installs the same tree next
 * month, and the generated code is tested against exactly these. Why each choice: the README's
 * "Choices and why".
 */

/**
 * Prisma asks for one version across `prisma`, `@prisma/client` and its driver adapters (a
 * mismatched client and CLI can generate a client the runtime does not match). 7.10.0 is the
 * newest release published for all three: `prisma` and `@prisma/adapter-pg` have a 7.10.1,
 * `@prisma/client` does not.
 */
export const PRISMA_VERSION = '7.10.0';

export const VERSIONS = {
  '@asteasolutions/zod-to-openapi': '9.1.0',
  // The version the embedded server (scripts/pglite-server.ts) is tested with.
  '@electric-sql/pglite': '0.5.14',
  '@eslint/js': '10.0.1',
  '@fastify/cors': '11.4.3',
  '@fastify/rate-limit': '11.2.0',
  '@fastify/swagger': '9.9.3',
  '@fastify/swagger-ui': '6.1.3',
  '@node-rs/argon2': '2.2.1',
  '@prisma/adapter-pg': PRISMA_VERSION,
  '@prisma/client': PRISMA_VERSION,
  '@types/cors': '2.8.19',
  '@types/express': '5.0.6',
  // The types of the oldest Node line generated services support (engines: >=22.12).
  '@types/node': '22.20.7',
  '@types/pg': '8.23.1',
  '@types/supertest': '7.2.1',
  '@types/swagger-ui-express': '4.1.8',
  cors: '2.8.6',
  eslint: '10.15.0',
  express: '5.3.0',
  'express-rate-limit': '8.7.5',
  fastify: '5.12.8',
  'fastify-type-provider-zod': '7.0.0',
  helmet: '8.3.0',
  ioredis: '6.0.0',
  jose: '6.2.18',
  pg: '8.23.1',
  pino: '10.4.0',
  prettier: '3.10.1',
  prisma: PRISMA_VERSION,
  'rate-limit-redis': '6.0.1',
  supertest: '7.3.2',
  'swagger-ui-express': '5.0.1',
  tsx: '4.23.15',
  // The newest TypeScript with a JS API that typescript-eslint (< 6.1) and ts-morph 28 support.
  typescript: '6.0.3',
  'typescript-eslint': '8.74.0',
  // Vitest 5 takes Vite as a peer dependency instead of bundling it.
  vite: '8.4.0',
  vitest: '5.1.2',
  zod: '4.6.7',
} as const satisfies Record<string, string>;

export type PinnedPackage = keyof typeof VERSIONS;

/** `{ name: version }` for the given packages, sorted by name, as package.json lists them. */
export function pinned(packages: readonly PinnedPackage[]): Record<string, string> {
  return Object.fromEntries(
    [...new Set(packages)].sort((a, b) => a.localeCompare(b)).map((name) => [name, VERSIONS[name]]),
  );
}

/** The Node.js versions generated services (and this repository) support, as `engines.node`. */
export const NODE_ENGINES = '>=22.12';
