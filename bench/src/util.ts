import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(benchDir, '..');
export const cliBin = path.join(repoRoot, 'packages/cli/dist/bin.js');

// ---------------------------------------------------------------------------------------------
// Cleanup: everything the bench starts or creates registers how to undo it, and that runs on a
// normal exit, an error and on SIGINT/SIGTERM alike.
// ---------------------------------------------------------------------------------------------

type Cleanup = () => Promise<void> | void;
const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();

/** Registers an undo step; the returned function runs it early (and only once). */
export function onCleanup(cleanup: Cleanup): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    const index = cleanups.indexOf(once);
    if (index >= 0) cleanups.splice(index, 1);
    await cleanup();
  };
  cleanups.push(once);
  return once;
}

/** Runs every registered undo step, newest first; never throws. */
export async function cleanupAll(): Promise<void> {
  if (cleanups.length === 0 && children.size === 0) return;
  log('removing the servers, database and directories the bench created');
  for (const child of children) child.kill('SIGKILL');
  while (cleanups.length > 0) {
    const cleanup = cleanups.at(-1);
    if (cleanup === undefined) break;
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${String(error)}\n`);
    }
  }
  log('cleaned up');
}

let stopping = false;

/** True once SIGINT/SIGTERM arrived: errors from the work being torn down are expected then. */
export function interrupted(): boolean {
  return stopping;
}

export function handleSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      stopping = true;
      process.stderr.write(`\n${signal}: stopping servers and removing what the bench created\n`);
      void cleanupAll().finally(() => process.exit(code));
    });
  }
}

/** A fresh directory outside the repository, removed at cleanup. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `svcgen-bench-${prefix}-`));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

export interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time from spawn to exit, in milliseconds. */
  readonly ms: number;
}

/** Runs a command to completion (bounded by a timeout) and measures its wall time. */
export async function run(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const started = process.hrtime.bigint();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
  try {
    // Rejects when the command cannot be started (ENOENT); the timer must not outlive that.
    const [code] = (await once(child, 'close')) as [number | null];
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { code, stdout, stderr, ms };
  } finally {
    clearTimeout(timer);
    children.delete(child);
  }
}

export async function runOk(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${options.cwd}) exited ${String(result.code)}\n` +
        `--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`,
    );
  }
  return result;
}

/** Runs the repository's CLI bin directly (no pnpm in between), as `svcgen <args>`. */
export function gen(args: readonly string[], cwd: string): Promise<RunResult> {
  return runOk(process.execPath, [cliBin, ...args], { cwd, env: { INIT_CWD: cwd } });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export interface Server {
  readonly pid: number;
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 with its output going to `logFile` (as a deployment would send it
 * to a file or a collector; no pipe for this process to drain), and waits at most 30 s until
 * `readyPath` answers 2xx.
 */
export async function startServer(
  command: string,
  args: readonly string[],
  options: RunOptions & { port: number; readyPath: string; logFile: string },
): Promise<Server> {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  children.add(child);
  const output = () => {
    try {
      return readFileSync(options.logFile, 'utf8').slice(-8000);
    } catch {
      return '';
    }
  };
  const stop = onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    children.delete(child);
  });
  const url = `http://127.0.0.1:${String(options.port)}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(
        `${command} ${args.join(' ')} exited early (${String(child.exitCode)}):\n${output()}`,
      );
    }
    try {
      const response = await fetch(url + options.readyPath);
      // Read the body: an unread one keeps its connection and timers alive after the server stops.
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} ${args.join(' ')} did not become ready:\n${output()}`);
    }
    await sleep(100);
  }
  if (child.pid === undefined) throw new Error('server has no pid');
  return { pid: child.pid, url, output, stop };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resident set size of a process in MiB (Linux /proc). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kib) / 1024;
}

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function summarize(values: readonly number[]): Summary {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}

const startedAt = Date.now();

/** Progress on stderr, with the seconds since the bench started. */
export function log(message: string): void {
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  process.stderr.write(`[bench ${String(seconds).padStart(4)} s] ${message}\n`);
}
