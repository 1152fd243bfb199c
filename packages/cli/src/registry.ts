import type { Generator } from '@svcgen/core';

export interface GeneratorEntry {
  readonly name: string;
  /** One line for --list and the menu; kept here so listing loads no generator code. */
  readonly description: string;
  readonly load: () => Promise<Generator>;
  /** Where a user's generator was defined (a plopfile or turbo config), absolute. */
  readonly source?: string;
  /** Another name it answers to (`plop:<name>`). */
  readonly alias?: string;
}

/** Every generator `pnpm gen` knows, loaded on demand so --list and --help stay fast. */
export const GENERATORS: readonly GeneratorEntry[] = [
  {
    name: 'service',
    description:
      'A runnable Express 5 or Fastify 5 service: Prisma 7, problem details, OpenAPI, health, real tests',
    load: async () => (await import('@svcgen/generator-service')).serviceGenerator,
  },
  {
    name: 'api-resource',
    description:
      'A CRUD resource from a field spec: Prisma model + migration, zod schemas, routes, service, repository, tests',
    load: async () => (await import('@svcgen/generator-api-resource')).apiResourceGenerator,
  },
  {
    name: 'jwt-auth',
    description:
      'Register, login, rotating refresh tokens with reuse detection, logout, me and roles (argon2id, JOSE)',
    load: async () => (await import('@svcgen/generator-jwt-auth')).jwtAuthGenerator,
  },
];
