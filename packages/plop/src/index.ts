/**
 * Plopfiles and `turbo gen` configs as `pnpm gen` generators (see README, "Your own generators").
 */
import type { Generator } from '@svcgen/core';
import { findPlopSources, loadPlopSource } from './discover.js';
import { toGenerator } from './generator.js';

export { createPlopApi, type PlopfileApi, type PlopGenerator } from './api.js';
export { findPlopSources, findTurboRoot, loadPlopSource, type PlopSource } from './discover.js';
export { toGenerator } from './generator.js';

export interface PlopEntry {
  /** What `pnpm gen` runs it as: its own name, or `plop:<name>` when a built-in has that name. */
  readonly name: string;
  /** `plop:<name>`, which always works. */
  readonly alias: string;
  readonly description: string;
  /** The plopfile or turbo config, absolute. */
  readonly source: string;
  readonly load: () => Promise<Generator>;
}

/**
 * The plop generators that apply to `cwd` (its nearest plopfile, then the repository's turbo
 * config). Names in `taken` (the built-ins) win; such a generator is still `plop:<name>`.
 */
export async function discoverPlopGenerators(
  cwd: string,
  taken: readonly string[],
): Promise<PlopEntry[]> {
  const entries: PlopEntry[] = [];
  const used = new Set(taken);
  for (const source of findPlopSources(cwd)) {
    const api = await loadPlopSource(source);
    for (const { name, description } of api.getGeneratorList()) {
      const alias = `plop:${name}`;
      if (entries.some((entry) => entry.alias === alias)) continue;
      const command = used.has(name) ? alias : name;
      used.add(name);
      entries.push({
        name: command,
        alias,
        description: description ?? '',
        source: source.file,
        load: () => {
          const generator = api.getGenerator(name);
          if (generator === undefined) throw new Error(`plop generator ${name} vanished`);
          return Promise.resolve(toGenerator(source, generator, command));
        },
      });
    }
  }
  return entries;
}
