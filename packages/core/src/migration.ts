import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GenError } from '@svcgen/core';

/**
 * The SQL that takes a database from the `before` schema to the `after` schema, written by Prisma's
 * own tooling (`prisma migrate diff`) from the two schema files alone: no database, no network
 * beyond Prisma's one-time engine download. The generator brings its own Prisma CLI, so this works
 * before the service's dependencies are installed.
 */
export async function migrationSql(before: string, after: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'svcgen-migrate-'));
  try {
    await writeFile(path.join(dir, 'before.prisma'), before);
    await writeFile(path.join(dir, 'after.prisma'), after);
    const { command, args } = migrateDiffCommand();
    const { code, stdout, stderr } = await run(command, args, dir);
    if (code !== 0) {
      throw new GenError(`prisma migrate diff failed (exit ${String(code)}):\n${stderr || stdout}`);
    }
    return stdout.endsWith('\n') ? stdout : `${stdout}\n`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The Prisma process behind {@link migrationSql}: run in a directory holding `before.prisma` and
 * `after.prisma`, it prints the SQL between them (exported so `pnpm bench` times this very command).
 */
export function migrateDiffCommand(): { command: string; args: string[] } {
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  return {
    command: process.execPath,
    args: [
      cli,
      'migrate',
      'diff',
      '--from-schema',
      'before.prisma',
      '--to-schema',
      'after.prisma',
      '--script',
    ],
  };
}

function run(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}
