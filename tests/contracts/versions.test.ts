import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PRISMA_VERSION, VERSIONS } from '@svcgen/core';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The `catalog:` block of pnpm-workspace.yaml: the versions this repository itself uses. */
function catalog(): Record<string, string> {
  const yaml = readFileSync(path.join(repoRoot, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^catalog:\n((?:[ ]{2}.*\n|\s*\n)+)/m.exec(yaml)?.[1] ?? '';
  const entries = [...block.matchAll(/^ {2}'?([^':\s]+)'?:\s*(\S+)\s*$/gm)];
  return Object.fromEntries(entries.map((match) => [match[1] ?? '', match[2] ?? '']));
}

describe('pinned versions', () => {
  it('give every Prisma package a generated service gets one version, as Prisma asks', () => {
    const prisma = Object.entries(VERSIONS).filter(
      ([name]) => name === 'prisma' || name.startsWith('@prisma/'),
    );
    expect(prisma.map(([name]) => name).sort()).toEqual([
      '@prisma/adapter-pg',
      '@prisma/client',
      'prisma',
    ]);
    for (const [name, version] of prisma) expect(version, name).toBe(PRISMA_VERSION);
  });

  it("check the generators' migrations against the Prisma CLI that generated services get", () => {
    expect(catalog().prisma).toBe(PRISMA_VERSION);
  });

  it('agree between this repository and generated projects for every package both use', () => {
    const ours = catalog();
    expect(Object.keys(ours).length).toBeGreaterThan(20);
    const shared = Object.entries(VERSIONS).filter(([name]) => name in ours);
    expect(shared.length).toBeGreaterThan(10);
    for (const [name, version] of shared) expect(ours[name], name).toBe(version);
  });

  it('are exact versions, so a generated project installs the tree it was tested with', () => {
    // A prerelease is exact too (Prisma publishes its engines as 7.10.0-4.<engine hash>).
    for (const [name, version] of Object.entries({ ...catalog(), ...VERSIONS }))
      expect(version, name).toMatch(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?$/);
  });
});
