import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GenError } from './errors.js';
import { assertNoSymlinkBelow, type FileChange } from './tree.js';

/** Test seam: lets tests make a step fail half-way to prove the rollback. */
export interface ApplyHooks {
  readonly beforeCommit?: (change: FileChange, index: number) => void | Promise<void>;
}

/**
 * Writes a change set as close to atomically as a file system allows:
 * 0. every path is checked again for symlinks, right before anything is written;
 * 1. every new content goes to a temp file beside its target (any failure: temps removed, nothing changed);
 * 2. temps are renamed over their targets and deletions done; a failure here restores every file
 *    already committed from the staged "before" content, so the tree ends byte-identical;
 * 3. directories emptied by deletions are removed, best effort: the change set is already complete.
 */
export async function applyChanges(
  root: string,
  changes: readonly FileChange[],
  hooks: ApplyHooks = {},
): Promise<void> {
  const createdDirs: string[] = [];
  const temps = new Map<string, string>();
  const suffix = `.gen-${randomBytes(4).toString('hex')}.tmp`;
  for (const change of changes) assertNoSymlinkBelow(root, change.path);

  try {
    for (const change of changes) {
      if (change.after === null) continue;
      const target = path.join(root, change.path);
      await makeParentDirs(path.dirname(target), createdDirs);
      const temp = target + suffix;
      // Recorded before writing, so a write that fails half-way leaves no partial temp behind.
      temps.set(change.path, temp);
      await writeFile(temp, change.after, { flag: 'wx' });
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
    // Every file gets its restore attempt even if one fails; the user is told which ones did.
    const unrestored: string[] = [];
    for (const change of committed.reverse()) {
      const target = path.join(root, change.path);
      const restore =
        change.before === null ? rm(target, { force: true }) : writeFile(target, change.before);
      await restore.catch(() => unrestored.push(change.path));
    }
    await removeDirs(createdDirs);
    if (unrestored.length === 0) throw error;
    throw new GenError(
      `${(error as Error).message}; rollback could not restore ${unrestored.join(', ')}`,
      { cause: error },
    );
  }

  await removeEmptyParents(
    root,
    changes.filter((change) => change.after === null).map((change) => change.path),
  );
}

/**
 * mkdir -p that appends each directory it creates to `created`, outermost first. The root itself
 * and folders above it are made too when missing: a new project in a folder the user named.
 */
async function makeParentDirs(dir: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (path.dirname(current) !== current) {
    try {
      await readdir(current);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(current);
      current = path.dirname(current);
    }
  }
  // One at a time, so a failure half-way still reports the directories already made.
  for (const missingDir of missing) {
    await mkdir(missingDir);
    created.push(missingDir);
  }
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
    if (entries?.length === 0) await rmdir(dir).catch(() => undefined);
  }
}
