import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileChange } from './tree.js';

/** Test seam: lets tests make a step fail half-way to prove the rollback. */
export interface ApplyHooks {
  readonly beforeCommit?: (change: FileChange, index: number) => void | Promise<void>;
}

/**
 * Writes a change set as close to atomically as a file system allows:
 * 1. every new content goes to a temp file beside its target (any failure: temps removed, nothing changed);
 * 2. temps are renamed over their targets and deletions done; a failure here restores every file
 *    already committed from the staged "before" content, so the tree ends byte-identical.
 */
export async function applyChanges(
  root: string,
  changes: readonly FileChange[],
  hooks: ApplyHooks = {},
): Promise<void> {
  const createdDirs: string[] = [];
  const temps = new Map<string, string>();
  const suffix = `.gen-${randomBytes(4).toString('hex')}.tmp`;

  try {
    for (const change of changes) {
      if (change.after === null) continue;
      const target = path.join(root, change.path);
      createdDirs.push(...(await makeParentDirs(path.dirname(target), root)));
      const temp = target + suffix;
      await writeFile(temp, change.after, { flag: 'wx' });
      temps.set(change.path, temp);
    }
  } catch (error) {
    await Promise.all([...temps.values()].map((temp) => rm(temp, { force: true })));
    await removeDirs(createdDirs);
    throw error;
  }

  const committed: FileChange[] = [];
  try {
    for (const [index, change] of changes.entries()) {
      await hooks.beforeCommit?.(change, index);
      const target = path.join(root, change.path);
      const temp = temps.get(change.path);
      if (temp === undefined) {
        await rm(target);
      } else {
        await rename(temp, target);
        temps.delete(change.path);
      }
      committed.push(change);
    }
  } catch (error) {
    await Promise.all([...temps.values()].map((temp) => rm(temp, { force: true })));
    for (const change of committed.reverse()) {
      const target = path.join(root, change.path);
      if (change.before === null) await rm(target, { force: true });
      else await writeFile(target, change.before);
    }
    await removeDirs(createdDirs);
    throw error;
  }

  await removeEmptyParents(
    root,
    changes.filter((change) => change.after === null).map((change) => change.path),
  );
}

/** mkdir -p that reports which directories it created, outermost first. */
async function makeParentDirs(dir: string, root: string): Promise<string[]> {
  const missing: string[] = [];
  let current = dir;
  while (current.startsWith(root) && current !== root) {
    try {
      await readdir(current);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(current);
      current = path.dirname(current);
    }
  }
  if (missing.length > 0) await mkdir(dir, { recursive: true });
  return missing;
}

async function removeDirs(dirs: readonly string[]): Promise<void> {
  for (const dir of [...dirs].reverse()) {
    await rmdir(dir).catch(() => undefined);
  }
}

/** After deleting files, removes directories that became empty, so undo leaves no trace. */
async function removeEmptyParents(root: string, deleted: readonly string[]): Promise<void> {
  const dirs = new Set<string>();
  for (const rel of deleted) {
    let dir = path.dirname(path.join(root, rel));
    while (dir !== root && dir.startsWith(root)) {
      dirs.add(dir);
      dir = path.dirname(dir);
    }
  }
  const deepestFirst = [...dirs].sort((a, b) => b.length - a.length);
  for (const dir of deepestFirst) {
    const entries = await readdir(dir).catch(() => null);
    if (entries?.length === 0) await rmdir(dir);
  }
}
