import { readdirSync } from 'node:fs';
import path from 'node:path';
import { GENERATORS } from '@svcgen/cli/registry';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

describe('generator registry', () => {
  it('has one generator package and one templates folder per registered generator', async () => {
    const generatorDirs = readdirSync(path.join(repoRoot, 'generators')).sort();
    expect(GENERATORS.map((entry) => entry.name).sort()).toEqual(generatorDirs);
    for (const entry of GENERATORS) {
      const generator = await entry.load();
      expect(generator.name).toBe(entry.name);
      expect(generator.description).toBe(entry.description);
      expect(path.relative(repoRoot, generator.templatesDir)).toBe(
        path.join('templates', entry.name),
      );
      expect(generator.examples.length).toBeGreaterThan(0);
      for (const example of generator.examples)
        expect(example).toMatch(new RegExp(`^pnpm gen ${entry.name}\\b`));
    }
  });
});
