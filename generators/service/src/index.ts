import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  addDependencies,
  assertWritableDir,
  changedByOtherGenerators,
  defineGenerator,
  FRAMEWORKS,
  GenError,
  names,
  NODE_ENGINES,
  pinned,
  serviceSteps,
  type Framework,
  type PinnedPackage,
} from '@svcgen/core';
import { z } from 'zod';

const templatesDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../templates/service',
);

interface PackageList {
  readonly dependencies: readonly PinnedPackage[];
  readonly devDependencies: readonly PinnedPackage[];
}

/** What every service depends on, and what each framework adds; versions: core's versions.ts. */
const PACKAGES: Record<'common' | Framework, PackageList> = {
  common: {
    dependencies: ['@prisma/adapter-pg', '@prisma/client', 'ioredis', 'pg', 'pino', 'zod'],
    devDependencies: [
      '@electric-sql/pglite',
      '@eslint/js',
      '@types/node',
      '@types/pg',
      '@types/supertest',
      'eslint',
      'prettier',
      'prisma',
      'supertest',
      'tsx',
      'typescript',
      'typescript-eslint',
      'vite',
      'vitest',
    ],
  },
  express: {
    dependencies: [
      '@asteasolutions/zod-to-openapi',
      'cors',
      'express',
      'express-rate-limit',
      'helmet',
      'rate-limit-redis',
      'swagger-ui-express',
    ],
    devDependencies: ['@types/cors', '@types/express', '@types/swagger-ui-express'],
  },
  fastify: {
    dependencies: [
      '@fastify/cors',
      '@fastify/rate-limit',
      '@fastify/swagger',
      '@fastify/swagger-ui',
      'fastify',
      'fastify-type-provider-zod',
      'helmet',
    ],
    devDependencies: [],
  },
};

function servicePackages(framework: Framework) {
  const { common } = PACKAGES;
  const own = PACKAGES[framework];
  return {
    dependencies: pinned([...common.dependencies, ...own.dependencies]),
    devDependencies: pinned([...common.devDependencies, ...own.devDependencies]),
  };
}

export const serviceOptions = z.object({
  name: z.string().describe('Service name, e.g. billing (folder, package and OpenAPI title)'),
  framework: z.enum(FRAMEWORKS).describe('HTTP framework'),
  dir: z
    .string()
    .min(1)
    .default('services')
    .describe('Parent folder of the service: relative to --cwd, or absolute'),
  port: z.number().int().min(1).max(65535).default(3000).describe('Default PORT of the service'),
});

export const serviceGenerator = defineGenerator({
  name: 'service',
  description:
    'A runnable Express 5 or Fastify 5 service: Prisma 7, problem details, OpenAPI, health, real tests',
  positional: 'name',
  options: serviceOptions,
  examples: [
    'pnpm gen service billing --framework fastify',
    'pnpm gen service billing --framework express --port 4000',
    'pnpm gen service billing --framework fastify --cwd ~/code --dir . --install',
  ],
  templatesDir,
  project(options, cwd) {
    const dir = path.resolve(cwd, options.dir, names(options.name).kebab);
    assertWritableDir(dir, `--dir ${options.dir}`);
    return dir;
  },
  generate(tree, options, context) {
    const n = names(options.name);
    const target = context.projectDir;
    const later = changedByOtherGenerators(tree, 'service', target);
    const existing = tree.read(`${target}/package.json`);
    if (existing !== null && !context.force && packageName(existing) !== n.kebab) {
      throw new GenError(`${target} already holds another project; choose another name or --dir`);
    }
    const vars = {
      name: n.kebab,
      snake: n.snake,
      title: n.pascal,
      port: options.port,
      nodeEngines: NODE_ENGINES,
      framework: options.framework,
      express: options.framework === 'express',
      fastify: options.framework === 'fastify',
    };
    // Files a later generator changed (app.ts registering a resource) are not conflicts.
    const write = { force: context.force, keep: (file: string) => later.has(file) };
    context.templates.renderDir(tree, 'common', target, vars, {}, write);
    context.templates.renderDir(tree, options.framework, target, vars, {}, write);
    if (!later.has(`${target}/package.json`)) {
      addDependencies(tree, target, servicePackages(options.framework));
    }
    // Inside a pnpm workspace the service is a member and the workspace's own settings apply; a
    // pnpm-workspace.yaml of its own would cut it out of the workspace.
    const workspaceRoot = findPnpmWorkspace(path.dirname(path.resolve(tree.root, target)));
    if (workspaceRoot === undefined) {
      context.templates.renderDir(tree, 'standalone', target, vars, {}, write);
    }

    return Promise.resolve({
      postSteps: serviceSteps(target, context),
      nextSteps: [
        '',
        'Next:',
        `  cd ${context.pathForUser(target)}`,
        ...(context.install ? [] : ['  pnpm install']),
        '  pnpm dev   # an embedded PostgreSQL unless DATABASE_URL is set (see .env.example)',
      ],
    });
  },
});

function findPnpmWorkspace(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function packageName(packageJson: string): unknown {
  try {
    return (JSON.parse(packageJson) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

export default serviceGenerator;
