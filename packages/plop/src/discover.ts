/**
 * Where plop generators come from: the nearest plopfile from the folder a command runs in upwards
 * (as plop finds it), and `turbo/generators/config.*` at the repository root (as `turbo gen` does).
 * TypeScript files load through jiti, so no build step is needed on any supported Node.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { GenError } from '@svcgen/core';
import { createPlopApi, type PlopfileApi } from './api.js';

export type PlopSourceKind = 'plopfile' | 'turbo';

export interface PlopSource {
  readonly kind: PlopSourceKind;
  /** The plopfile or turbo config, absolute. */
  readonly file: string;
  /** Where its actions write (plop: the plopfile's folder; turbo gen: the repository root). */
  readonly root: string;
}

// plop's order (liftoff with interpret's JavaScript variants), then TypeScript's module flavours.
const PLOPFILE_EXTENSIONS = ['js', 'cjs', 'mjs', 'ts', 'mts', 'cts'];
const TURBO_CONFIG_EXTENSIONS = ['ts', 'js', 'cjs', 'mts', 'mjs'];

/** The plopfile and turbo config that apply to `cwd`, nearest first; none is an empty list. */
export function findPlopSources(cwd: string): PlopSource[] {
  const sources: PlopSource[] = [];
  const plopfile = findUp(cwd, (dir) =>
    firstFile(
      dir,
      PLOPFILE_EXTENSIONS.map((ext) => `plopfile.${ext}`),
    ),
  );
  if (plopfile !== undefined)
    sources.push({ kind: 'plopfile', file: plopfile, root: path.dirname(plopfile) });
  const turboRoot = findTurboRoot(cwd);
  const config =
    turboRoot === undefined
      ? undefined
      : firstFile(
          turboRoot,
          TURBO_CONFIG_EXTENSIONS.map((ext) => `turbo/generators/config.${ext}`),
        );
  if (turboRoot !== undefined && config !== undefined)
    sources.push({ kind: 'turbo', file: config, root: turboRoot });
  return sources;
}

/**
 * turbo's root: the nearest folder above `cwd` whose turbo.json does not `extends` another (a
 * package's own turbo.json does); failing that, the package manager's workspace root.
 */
export function findTurboRoot(cwd: string): string | undefined {
  const turbo = findUp(cwd, (dir) => {
    for (const name of ['turbo.json', 'turbo.jsonc']) {
      const file = path.join(dir, name);
      if (existsSync(file) && !/"extends"\s*:/.test(readFileSync(file, 'utf8'))) return dir;
    }
    return undefined;
  });
  if (turbo !== undefined) return turbo;
  return findUp(cwd, (dir) => {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && /"workspaces"\s*:/.test(readFileSync(pkg, 'utf8'))) return dir;
    return undefined;
  });
}

/** Runs the plopfile's default export against a fresh plop API and returns that API. */
export async function loadPlopSource(source: PlopSource): Promise<PlopfileApi> {
  const api = createPlopApi(source.file, {
    ...(source.kind === 'turbo' ? { destBasePath: source.root } : {}),
    loadPlopfile: (file, other) => runPlopfile(file, other, {}),
  });
  // `runner` tells a config written for both (this repository's own) that pnpm gen is loading it.
  await runPlopfile(source.file, api, {
    ...(source.kind === 'turbo' ? { destBasePath: source.root } : {}),
    runner: 'svcgen',
  });
  return api;
}

async function runPlopfile(
  file: string,
  api: PlopfileApi,
  config: Record<string, unknown>,
): Promise<void> {
  let exported: unknown;
  try {
    exported = /\.[mc]?ts$/.test(file)
      ? await (
          await import('jiti')
        )
          .createJiti(import.meta.url, { moduleCache: false })
          .import(file)
      : await import(pathToFileURL(file).href);
  } catch (error) {
    throw new GenError(
      `cannot load ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const plopfile =
    typeof exported === 'function' ? exported : (exported as { default?: unknown } | null)?.default;
  if (typeof plopfile !== 'function') {
    throw new GenError(`${file} does not export a function (export default function (plop) { … })`);
  }
  try {
    await (plopfile as (plop: PlopfileApi, config: unknown) => unknown)(api, config);
  } catch (error) {
    throw new GenError(
      `${file} failed while setting up: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function findUp(start: string, test: (dir: string) => string | undefined): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const found = test(dir);
    if (found !== undefined) return found;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function firstFile(dir: string, names: readonly string[]): string | undefined {
  return names.map((name) => path.join(dir, name)).find((file) => existsSync(file));
}
