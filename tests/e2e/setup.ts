import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import '../support/env.js';
import { gen, install, outsideDir } from '../support/generate.js';
import { supportedNodes } from '../support/node-binaries.js';
import { runOk } from '../support/process.js';

export const FRAMEWORKS = ['express', 'fastify'] as const;

/** What every e2e service gets after `gen service`, in order: auth, then resources. */
export const STEPS: readonly (readonly string[])[] = [
  ['jwt-auth', '--service', './shop'],
  [
    'api-resource',
    'category',
    '--service',
    './shop',
    '--fields',
    'name:string:max=100:unique description:text?',
  ],
  [
    'api-resource',
    'products',
    '--service',
    './shop',
    '--fields',
    'title:string:max=200 price:decimal:min=0 sku:string:max=40:unique status:enum(draft|live):default=draft ' +
      'stock:int:min=0:default=0 featured:boolean:default=false categoryId:ref(Category) releasedOn:date? ' +
      'weight?:float:min=0 serial:bigint? launchAt:datetime? contact:email? homepage:url? externalRef:uuid? ' +
      'metadata:json? notes:text?',
  ],
  ['api-resource', 'folder', '--service', './shop', '--owned', '--fields', 'name:string:max=80'],
  // Owned → owned: another user's folder is answered like a missing one, and never embedded.
  [
    'api-resource',
    'note',
    '--service',
    './shop',
    '--owned',
    '--fields',
    'body:text:max=2000 pinned:boolean:default=false slug:string?:max=80:unique folderId:ref(Folder)?',
  ],
  [
    'api-resource',
    'supplier',
    '--service',
    './shop',
    '--auth',
    'role=admin',
    '--fields',
    'name:string:max=100:unique',
  ],
  // Owned behind a role: only users reach the routes, each their own (admins do not get in).
  [
    'api-resource',
    'memo',
    '--service',
    './shop',
    '--auth',
    'role=user',
    '--owned',
    '--fields',
    'text:string:max=200',
  ],
  // Open → role-guarded: only admins may set or embed a supplier; anyone may list offers.
  [
    'api-resource',
    'offer',
    '--service',
    './shop',
    '--fields',
    'price:decimal:min=0 supplierId:ref(Supplier)?',
  ],
];

/** A development secret for starting the built services (their tests bring their own). */
export const E2E_JWT_SECRET = 'e2e-only-secret-never-used-anywhere-else-0123456789';
export type Framework = (typeof FRAMEWORKS)[number];

export interface GeneratedService {
  readonly workDir: string;
  readonly serviceDir: string;
  /** What `pnpm install` printed (stdout and stderr), to check it warns about nothing. */
  readonly installOutput: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Per framework: a service generated outside this repository, installed and built. */
    services: Record<Framework, GeneratedService>;
    /** A binary of each supported Node line (22, 24): label → path. */
    nodeBinaries: Record<string, string>;
  }
}

/**
 * Generates one service per framework outside the repository, installs and builds it once for the
 * whole e2e tier (installs are the slow part), and removes them afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = {} as Record<Framework, GeneratedService>;
  for (const framework of FRAMEWORKS) {
    const workDir = await outsideDir(`e2e-${framework}`);
    services[framework] = { workDir, serviceDir: path.join(workDir, 'shop'), installOutput: '' };
  }
  const cleanup = async () => {
    await Promise.all(
      Object.values(services).map(({ workDir }) => rm(workDir, { recursive: true, force: true })),
    );
  };
  let nodeBinaries: Record<string, string>;
  try {
    const generated = Promise.all(
      FRAMEWORKS.map(async (framework) => {
        const { workDir, serviceDir } = services[framework];
        await gen(['service', 'shop', '--framework', framework, '--dir', '.'], workDir);
        // Auth and resources are added before the first install: the generators need nothing from it.
        for (const step of STEPS) await gen(step, workDir);
        const installed = await install(serviceDir);
        services[framework] = {
          ...services[framework],
          installOutput: `${installed.stdout}\n${installed.stderr}`,
        };
        await runOk('pnpm', ['run', 'build'], { cwd: serviceDir });
      }),
    );
    [nodeBinaries] = await Promise.all([supportedNodes(), generated]);
  } catch (error) {
    await cleanup();
    throw error;
  }
  project.provide('services', services);
  project.provide('nodeBinaries', nodeBinaries);
  return cleanup;
}
