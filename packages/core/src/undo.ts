import path from 'node:path';
import { GenError, UsageError } from './errors.js';
import { sha256 } from './hash.js';
import { MANIFEST_PATH, readManifest, serializeManifest, type ManifestRun } from './manifest.js';
import { assertNoSymlinkBelow, type Tree } from './tree.js';

export interface UndoOptions {
  /** Revert even files that were edited by hand since the run. */
  readonly force?: boolean;
}

/**
 * Stages the reversal of the last recorded run: created files are deleted, updated or deleted
 * files get their previous content back, and the run leaves the manifest (the manifest itself
 * goes away with its last run, so undoing everything leaves the tree as it was before the first).
 */
export function stageUndo(tree: Tree, options: UndoOptions = {}): ManifestRun {
  const manifest = readManifest(tree);
  const run = manifest?.runs.at(-1);
  if (manifest === null || run === undefined) {
    throw new GenError(`nothing to undo: no run recorded in ${tree.absolute(MANIFEST_PATH)}`);
  }

  // The manifest is a file the user can edit: check every path before reading or staging any of them.
  for (const file of run.files) {
    const climbs = file.path.split(/[\\/]/).includes('..');
    if (climbs || path.posix.isAbsolute(file.path) || path.win32.isAbsolute(file.path)) {
      throw new UsageError(
        `refusing to undo: ${MANIFEST_PATH} names a path outside the project: ${file.path}`,
      );
    }
    assertNoSymlinkBelow(tree.root, tree.relative(file.path));
  }

  const edited = run.files.filter((file) => {
    const current = tree.read(file.path);
    return (current === null ? null : sha256(current)) !== file.hash;
  });
  if (edited.length > 0 && options.force !== true) {
    const list = edited.map((file) => `  ${file.path}`).join('\n');
    throw new GenError(
      `cannot undo "${run.generator}": these files changed since that run:\n${list}\n` +
        're-run with --force to discard those changes',
    );
  }

  for (const file of run.files) {
    if (file.action === 'created') tree.delete(file.path);
    else if (file.before !== null) tree.overwrite(file.path, file.before);
  }

  const runs = manifest.runs.slice(0, -1);
  if (runs.length === 0) tree.delete(MANIFEST_PATH);
  else tree.overwrite(MANIFEST_PATH, serializeManifest({ ...manifest, runs }));
  return run;
}
