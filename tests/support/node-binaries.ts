import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOk } from './process.js';

/** The Node lines generated services support (engines >=22.12): both LTS lines are tested. */
export const NODE_MAJORS = [22, 24] as const;

const cacheRoot = path.join(tmpdir(), 'svcgen-node-binaries');

/**
 * A Node binary of each supported line, labelled with its version: the one running the tests for
 * its own line, the newest release from the npm registry for the others.
 */
export async function supportedNodes(): Promise<Record<string, string>> {
  const running = Number(process.versions.node.split('.')[0]);
  const entries = await Promise.all(
    NODE_MAJORS.map(async (major) => {
      const binary = major === running ? process.execPath : await nodeBinary(major);
      const version = (await runOk(binary, ['--version'], { cwd: process.cwd() })).stdout.trim();
      return [`node ${version.replace(/^v/, '')}`, binary] as const;
    }),
  );
  return Object.fromEntries(entries);
}

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
    const tarball = await withRetries(3, async () => {
      // Not --silent: when the registry fails, npm's own message is what CI should show.
      const packed = await runOk('npm', ['pack', spec, '--pack-destination', download], {
        cwd: download,
        timeoutMs: 300_000,
      });
      return path.join(download, packed.stdout.trim().split('\n').pop() ?? '');
    });
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

/** The registry sometimes drops a 50 MB download half-way; a second try is not a different test. */
async function withRetries<T>(attempts: number, task: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2000 * attempt));
    }
  }
}

/** The environment that makes `pnpm`, and every `node` it starts, run on this Node binary. */
export function onNode(binary: string): NodeJS.ProcessEnv {
  return { PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ''}` };
}
