import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import '../support/env.js';
import { gen, install, outsideDir } from '../support/generate.js';
import { EXTRA_NODE_MAJORS, nodeBinary } from '../support/node-binaries.js';
import { runOk } from '../support/process.js';

export const FRAMEWORKS = ['express', 'fastify'] as const;

/** The resources every e2e service gets, in order (the second references the first). */
export const RESOURCES = [
  { name: 'category', fields: 'name:string:max=100:unique description:text?' },
  {
    name: 'products',
    fields:
      'title:string:max=200 price:decimal:min=0 sku:string:max=40:unique status:enum(draft|live):default=draft ' +
      'stock:int:min=0:default=0 featured:boolean:default=false categoryId:ref(Category) releasedOn:date? ' +
      'weight?:float:min=0 serial:bigint? launchAt:datetime? contact:email? homepage:url? externalRef:uuid? ' +
      'metadata:json? notes:text?',
  },
] as const;
export type Framework = (typeof FRAMEWORKS)[number];

declare module 'vitest' {
  export interface ProvidedContext {
    /** Per framework: a service generated outside this repository, installed and built. */
    services: Record<Framework, { workDir: string; serviceDir: string }>;
    /** Node binaries the built services are also started with: label → path. */
    nodeBinaries: Record<string, string>;
  }
}

/**
 * Generates one service per framework outside the repository, installs and builds it once for the
 * whole e2e tier (installs are the slow part), and removes them afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const services = {} as Record<Framework, { workDir: string; serviceDir: string }>;
  for (const framework of FRAMEWORKS) {
    const workDir = await outsideDir(`e2e-${framework}`);
    services[framework] = { workDir, serviceDir: path.join(workDir, 'shop') };
  }
  const cleanup = async () => {
    await Promise.all(
      Object.values(services).map(({ workDir }) => rm(workDir, { recursive: true, force: true })),
    );
  };
  const nodeBinaries: Record<string, string> = {
    [`node ${process.versions.node}`]: process.execPath,
  };
  try {
    const extraNodes = Promise.all(
      EXTRA_NODE_MAJORS.map(async (major) => {
        const binary = await nodeBinary(major);
        const version = (await runOk(binary, ['--version'], { cwd: process.cwd() })).stdout.trim();
        nodeBinaries[`node ${version.replace(/^v/, '')}`] = binary;
      }),
    );
    await Promise.all(
      FRAMEWORKS.map(async (framework) => {
        const { workDir, serviceDir } = services[framework];
        await gen(['service', 'shop', '--framework', framework, '--dir', '.'], workDir);
        // Resources are added before the first install: the generator needs nothing from it.
        for (const resource of RESOURCES) {
          await gen(
            ['api-resource', resource.name, '--service', './shop', '--fields', resource.fields],
            workDir,
          );
        }
        await install(serviceDir);
        await runOk('pnpm', ['run', 'build'], { cwd: serviceDir });
      }),
    );
    await extraNodes;
  } catch (error) {
    await cleanup();
    throw error;
  }
  project.provide('services', services);
  project.provide('nodeBinaries', nodeBinaries);
  return cleanup;
}
