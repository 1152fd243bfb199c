import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { migrateDiffCommand } from '../src/migration.js';
import { useSchemaEngineStandIn } from '../src/testing.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temp directory with the given files, removed after the test. */
export async function tempProject(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'svcgen-core-'));
  dirs.push(dir);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), content);
  }
  return dir;
}

/**
 * Every file under dir with its content: a byte-level picture of a tree to compare. Symlinks are
 * recorded as `-> target` and never followed, so a link to a directory outside stays outside.
 */
export async function snapshotDir(dir: string, prefix = ''): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const rel = prefix + entry.name;
    if (entry.isSymbolicLink()) result[rel] = `-> ${await readlink(full)}`;
    else if (entry.isDirectory()) {
      result[`${rel}/`] = '';
      Object.assign(result, await snapshotDir(full, `${rel}/`));
    } else result[rel] = await readFile(full, 'utf8');
  }
  return result;
}

/**
 * What `prisma migrate diff --from-schema --to-schema --script` prints for two schemas: Prisma's own
 * CLI, in a process of its own, the reference the in-process engine is checked against.
 */
export async function prismaCliDiff(before: string, after: string): Promise<string> {
  useSchemaEngineStandIn();
  const dir = await tempProject({ 'before.prisma': before, 'after.prisma': after });
  const { command, args } = migrateDiffCommand();
  const { stdout, stderr, code } = await new Promise<{
    stdout: string;
    stderr: string;
    code: number | null;
  }>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: dir,
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exit) => {
      resolve({ stdout: out, stderr: err, code: exit });
    });
  });
  if (code !== 0) throw new Error(`prisma migrate diff failed (exit ${String(code)}): ${stderr}`);
  return stdout.endsWith('\n') ? stdout : `${stdout}\n`;
}
