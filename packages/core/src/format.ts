import path from 'node:path';
import type { Options } from 'prettier';
import type { Tree } from './tree.js';

const FORMATTABLE = /\.(?:[cm]?[jt]s|json|md|ya?ml)$/;
const CONFIG_FILE = '.prettierrc.json';

/**
 * Formats the files a generator wrote with Prettier, using the target project's own Prettier
 * config. It runs on staged content, so dry-run diffs show the final text and the manifest hashes
 * what lands on disk. Prettier is loaded only when there is work for it.
 */
export async function formatStagedFiles(tree: Tree, paths: readonly string[]): Promise<void> {
  const targets = paths.filter((file) => FORMATTABLE.test(file) && tree.read(file) !== null);
  if (targets.length === 0) return;
  const prettier = await import('prettier');
  for (const file of targets) {
    const content = tree.read(file);
    if (content === null) continue;
    const absolute = tree.absolute(file);
    const config = findStagedConfig(tree, file) ?? (await prettier.resolveConfig(absolute)) ?? {};
    const formatted = await prettier.format(content, { ...config, filepath: absolute });
    if (formatted !== content) tree.overwrite(file, formatted);
  }
}

/** A project generated in this same run has its config only in the staged tree, not on disk yet. */
function findStagedConfig(tree: Tree, file: string): Options | null {
  let dir = path.posix.dirname(file);
  for (;;) {
    const candidate = dir === '.' ? CONFIG_FILE : `${dir}/${CONFIG_FILE}`;
    const text = tree.read(candidate);
    if (text !== null) return JSON.parse(text) as Options;
    if (dir === '.') return null;
    dir = path.posix.dirname(dir);
  }
}
