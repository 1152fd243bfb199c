import { existsSync } from 'node:fs';
import { serviceSteps } from './locate.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { changedByOtherGenerators, defineGenerator, GenError, names } from '@svcgen/core';
import { z } from 'zod';

export const FRAMEWORKS = ['express', 'fastify'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

const templatesDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../templates/service',
);

export const serviceOptions = z.object({
  name: z.string().describe('Service name, e.g. billing (folder, package and OpenAPI title)'),
  framework: z.enum(FRAMEWORKS).describe('HTTP framework'),
  dir: z
    .string()
    .min(1)
    .default('services')
    .describe('Parent folder of the service, relative to --cwd'),
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
  generate(tree, options, context) {
    const n = names(options.name);
    const serviceDir = path.posix.join(options.dir.split(path.sep).join('/'), n.kebab);
    const target = tree.relative(serviceDir);
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
      framework: options.framework,
      express: options.framework === 'express',
      fastify: options.framework === 'fastify',
    };
    // Files a later generator changed (app.ts registering a resource) are not conflicts.
    const write = { force: context.force, keep: (file: string) => later.has(file) };
    context.templates.renderDir(tree, 'common', target, vars, {}, write);
    context.templates.renderDir(tree, options.framework, target, vars, {}, write);
    // Inside a pnpm workspace the service is a member and the workspace's own settings apply; a
    // pnpm-workspace.yaml of its own would cut it out of the workspace.
    const workspaceRoot = findPnpmWorkspace(path.dirname(tree.absolute(target)));
    if (workspaceRoot === undefined) {
      context.templates.renderDir(tree, 'standalone', target, vars, {}, write);
    }

    return Promise.resolve({
      // The service's own .gen/manifest.json records the run: `gen undo --cwd <service>` reverts it.
      projectDir: target,
      postSteps: serviceSteps(target, context),
      nextSteps: [
        '',
        'Next:',
        `  cd ${path.posix.join(path.relative(process.cwd(), context.cwd).split(path.sep).join('/') || '.', target)}`,
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

export {
  addDependencies,
  locateService,
  serviceFramework,
  serviceSteps,
  type Framework as ServiceFramework,
} from './locate.js';
