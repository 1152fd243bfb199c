import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOk, type CommandResult } from './process.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const cliBin = path.join(repoRoot, 'packages/cli/dist/bin.js');

/** Runs the real CLI binary, as a user would, in `cwd`. */
export function gen(args: readonly string[], cwd: string): Promise<CommandResult> {
  return runOk(process.execPath, [cliBin, ...args], { cwd, env: { INIT_CWD: cwd } });
}

/** A fresh directory outside this repository for generated projects. */
export function outsideDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `svcgen-${prefix}-`));
}

/** Installs a generated project the way a user would (pnpm), without a lockfile to freeze to. */
export function install(projectDir: string): Promise<CommandResult> {
  return runOk('pnpm', ['install', '--no-frozen-lockfile'], {
    cwd: projectDir,
    timeoutMs: 600_000,
  });
}
