import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOk } from './process.js';

/** Node lines generated services must run on besides the one running the tests (LTS lines). */
export const EXTRA_NODE_MAJORS = [22, 24] as const;

const cacheRoot = path.join(tmpdir(), 'svcgen-node-binaries');

/**
 * The newest Node `major` binary for this platform, from the npm registry's `node-<os>-<arch>`
 * package (the one npm's `node` package installs), unpacked once into a cache outside the repo.
 */
export async function nodeBinary(major: number): Promise<string> {
  const dir = path.join(cacheRoot, `${process.platform}-${process.arch}-${String(major)}`);
  const binary = path.join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  await mkdir(cacheRoot, { recursive: true });
  const download = await mkdtemp(path.join(cacheRoot, 'download-'));
  try {
    const spec = `node-${process.platform}-${process.arch}@${String(major)}`;
    const packed = await runOk('npm', ['pack', spec, '--silent', '--pack-destination', download], {
      cwd: download,
      timeoutMs: 300_000,
    });
    const tarball = path.join(download, packed.stdout.trim().split('\n').pop() ?? '');
    const staging = path.join(download, 'unpacked');
    await mkdir(staging);
    await runOk('tar', ['xzf', tarball, '-C', staging], { cwd: download });
    await rm(dir, { recursive: true, force: true });
    await runOk('mv', [staging, dir], { cwd: download });
  } finally {
    await rm(download, { recursive: true, force: true });
  }
  return binary;
}
