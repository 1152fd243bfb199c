import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A new empty folder under the system temp dir, removed after the test. */
export async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `svcgen-${label}-`));
  dirs.push(dir);
  return dir;
}

/** A temp copy of a fixture folder, removed after the test. */
export async function copyOf(fixture: string, label = path.basename(fixture)): Promise<string> {
  const dir = await tempDir(label);
  await cp(fixture, dir, { recursive: true });
  return dir;
}
