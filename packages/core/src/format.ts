import path from 'node:path';
import type { Options } from 'prettier';
import type { Tree } from './tree.js';

const FORMATTABLE = /\.(?:[cm]?[jt]s|json|md|ya?ml)$/;
const CONFIG_FILE = '.prettierrc.json';
const TYPESCRIPT = /\.[cm]?ts$/;

/**
 * Formats the files a generator wrote with Prettier, using the target project's own Prettier
 * config. It runs on staged content, so dry-run diffs show the final text and the manifest hashes
 * what lands on disk. Prettier is loaded only when there is work for it.
 *
 * TypeScript that `ours` says is svcgen's own template output is parsed by Babel (Prettier's
 * `babel-ts`, ~35 % faster than its default `typescript` parser). Prettier means the two to print
 * alike; they do for our templates (the e2e suite runs `pnpm format:check`, the default parser, on
 * generated services) and for format.test.ts's sample, but that is not proof for all TypeScript,
 * so a user's file, or one a generator edited, gets the default parser. So does a file Babel
 * cannot parse.
 */
export async function formatStagedFiles(
  tree: Tree,
  paths: readonly string[],
  ours: (file: string) => boolean = () => false,
): Promise<void> {
  const targets = paths.filter((file) => FORMATTABLE.test(file) && tree.read(file) !== null);
  if (targets.length === 0) return;
  const prettier = await import('prettier');
  for (const file of targets) {
    const content = tree.read(file);
    if (content === null) continue;
    const absolute = tree.absolute(file);
    const config = findStagedConfig(tree, file) ?? (await prettier.resolveConfig(absolute)) ?? {};
    const options = { ...config, filepath: absolute };
    const formatted = await (ours(file) && TYPESCRIPT.test(file) && config.parser === undefined
      ? prettier
          .format(content, { ...options, parser: 'babel-ts' })
          .catch(() => prettier.format(content, options))
      : prettier.format(content, options));
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
