import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPlopSources, findTurboRoot, loadPlopSource } from '../src/index.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'svcgen-discover-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

describe('finding plopfiles and turbo configs', () => {
  it('takes the nearest plopfile upwards, then the turbo config at the repository root', async () => {
    const dir = await tree({
      'turbo.json': '{}',
      'turbo/generators/config.ts': 'export default () => {};',
      'apps/web/plopfile.mjs': 'export default () => {};',
      'apps/web/src/index.ts': '',
    });
    expect(findPlopSources(path.join(dir, 'apps/web/src'))).toEqual([
      {
        kind: 'plopfile',
        file: path.join(dir, 'apps/web/plopfile.mjs'),
        root: path.join(dir, 'apps/web'),
      },
      { kind: 'turbo', file: path.join(dir, 'turbo/generators/config.ts'), root: dir },
    ]);
    expect(findPlopSources(dir)).toEqual([
      { kind: 'turbo', file: path.join(dir, 'turbo/generators/config.ts'), root: dir },
    ]);
  });

  it("passes over a package's turbo.json that extends the root one, and falls back to the workspace root", async () => {
    const dir = await tree({
      'turbo.json': '{ "tasks": {} }',
      'packages/ui/turbo.json': '{ "extends": ["//"] }',
      'packages/ui/src/a.ts': '',
    });
    expect(findTurboRoot(path.join(dir, 'packages/ui/src'))).toBe(dir);
    const workspace = await tree({ 'pnpm-workspace.yaml': 'packages: []\n', 'apps/x/a.ts': '' });
    expect(findTurboRoot(path.join(workspace, 'apps/x'))).toBe(workspace);
  });

  it('loads a TypeScript plopfile with type-only imports, and names a broken one', async () => {
    const dir = await tree({
      'plopfile.ts':
        "import type { NodePlopAPI } from 'plop';\nconst name: string = 'typed';\nexport default function (plop: NodePlopAPI): void { plop.setGenerator(name, { description: 'ok' }); }\n",
      'broken/plopfile.mjs': 'export default () => { throw new Error("boom"); };',
    });
    const api = await loadPlopSource({
      kind: 'plopfile',
      file: path.join(dir, 'plopfile.ts'),
      root: dir,
    });
    expect(api.getGeneratorList()).toEqual([{ name: 'typed', description: 'ok' }]);
    const broken = path.join(dir, 'broken/plopfile.mjs');
    await expect(
      loadPlopSource({ kind: 'plopfile', file: broken, root: path.dirname(broken) }),
    ).rejects.toThrow(`${broken} failed while setting up: boom`);
  });
});
