import { createRequire } from 'node:module';
import { MANIFEST_PATH } from './manifest.js';
import type { FileChange } from './tree.js';

export type PlanAction = 'create' | 'update' | 'delete' | 'skip';

export interface PlanEntry {
  readonly path: string;
  readonly action: PlanAction;
  /** Unified diff for updates and deletes. */
  readonly diff?: string;
  /** Full content for creates. */
  readonly content?: string;
  /** The project's own template it was rendered from (`gen eject`), relative to the tree root. */
  readonly template?: string;
}

export function toPlan(
  changes: readonly FileChange[],
  touched: readonly string[],
  fromOverrides: ReadonlyMap<string, string> = new Map(),
): PlanEntry[] {
  const changed = new Set(changes.map((change) => change.path));
  const source = (file: string) => {
    const template = fromOverrides.get(file);
    return template === undefined ? {} : { template };
  };
  const entries: PlanEntry[] = changes.map((change) => {
    if (change.type === 'create')
      return {
        path: change.path,
        action: 'create',
        content: change.after ?? '',
        ...source(change.path),
      };
    return {
      path: change.path,
      action: change.type,
      diff: loadDiff().createTwoFilesPatch(
        `a/${change.path}`,
        `b/${change.path}`,
        change.before ?? '',
        change.after ?? '',
      ),
      ...source(change.path),
    };
  });
  for (const path of touched) {
    if (!changed.has(path)) entries.push({ path, action: 'skip', ...source(path) });
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}

const LABELS: Record<PlanAction, string> = {
  create: 'CREATE',
  update: 'UPDATE',
  delete: 'DELETE',
  skip: 'SKIP  ',
};

export interface FormatPlanOptions {
  /** Include unified diffs of updated and deleted files (dry-run). */
  readonly diffs: boolean;
}

/** Human-readable plan: one line per path, and the diff of every update when asked. */
export function formatPlan(entries: readonly PlanEntry[], options: FormatPlanOptions): string {
  const lines: string[] = [];
  for (const entry of entries) {
    const size = entry.content === undefined ? '' : ` (${countLines(entry.content)} lines)`;
    const from = entry.template === undefined ? '' : ` (from ${entry.template})`;
    lines.push(`${LABELS[entry.action]} ${entry.path}${size}${from}`);
    // The manifest's diff repeats the whole run (with previous contents); the other entries say it.
    if (options.diffs && entry.diff !== undefined && !entry.path.endsWith(MANIFEST_PATH)) {
      lines.push(
        ...entry.diff
          .split('\n')
          .slice(2)
          .filter((line, index, all) => index < all.length - 1 || line !== ''),
      );
    }
  }
  return lines.join('\n');
}

function countLines(content: string): number {
  return content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
}

// Loaded with the first diff: `--list` and `--help` load this module and show none.
let diffModule: typeof import('diff') | undefined;
function loadDiff(): typeof import('diff') {
  diffModule ??= createRequire(import.meta.url)('diff') as typeof import('diff');
  return diffModule;
}
