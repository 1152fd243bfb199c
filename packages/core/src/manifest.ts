import path from 'node:path';
import { z } from 'zod';
import { GenError } from './errors.js';
import { sha256 } from './hash.js';
import type { FileChange, Tree } from './tree.js';

export const MANIFEST_PATH = '.gen/manifest.json';

const manifestFileSchema = z.object({
  path: z.string(),
  action: z.enum(['created', 'updated', 'deleted']),
  /** sha256 of the content this run left; null when the run deleted the file. */
  hash: z.string().nullable(),
  /** Content before the run, for updated and deleted files: what undo restores. */
  before: z.string().nullable(),
});

const manifestRunSchema = z.object({
  id: z.string(),
  generator: z.string(),
  options: z.record(z.string(), z.unknown()),
  at: z.string(),
  files: z.array(manifestFileSchema),
  /** Steps of the run that could not be staged (plop custom actions): undo cannot revert them. */
  notUndoable: z.array(z.string()).optional(),
});

const manifestSchema = z.object({
  version: z.literal(1),
  runs: z.array(manifestRunSchema),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestRun = z.infer<typeof manifestRunSchema>;

/** Where the manifest of the project in `projectDir` (relative to the tree root) lives. */
export function manifestPath(projectDir = '.'): string {
  return path.posix.join(projectDir, MANIFEST_PATH);
}

export function readManifest(tree: Tree, projectDir = '.'): Manifest | null {
  const text = tree.read(manifestPath(projectDir));
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GenError(`${MANIFEST_PATH} is not valid JSON; fix or remove it`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success)
    throw new GenError(`${MANIFEST_PATH} has an unexpected shape; fix or remove it`);
  return parsed.data;
}

export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function toManifestRun(
  generator: string,
  options: Record<string, unknown>,
  changes: readonly FileChange[],
  now: Date,
  projectDir = '.',
): ManifestRun {
  const inProject = (file: string): string => {
    const relative = path.posix.relative(path.posix.normalize(projectDir), file);
    if (relative.startsWith('..') || path.posix.isAbsolute(relative)) {
      throw new GenError(`generator bug: ${file} lies outside its project ${projectDir}`);
    }
    return relative;
  };
  return {
    id: `${now.toISOString()}-${generator}`,
    generator,
    options,
    at: now.toISOString(),
    files: changes.map((change) => ({
      path: inProject(change.path),
      action:
        change.type === 'create' ? 'created' : change.type === 'update' ? 'updated' : 'deleted',
      hash: change.after === null ? null : sha256(change.after),
      before: change.type === 'create' ? null : change.before,
    })),
  };
}

/** Stages the manifest with one more run appended (the manifest is part of the same change set). */
export function recordRun(tree: Tree, run: ManifestRun, projectDir = '.'): void {
  const manifest = readManifest(tree, projectDir) ?? { version: 1, runs: [] };
  tree.overwrite(
    manifestPath(projectDir),
    serializeManifest({ ...manifest, runs: [...manifest.runs, run] }),
  );
}

/**
 * Files of a project (as tree-root-relative paths) whose content is exactly what a run of another
 * generator left there: re-running `generator` must not call those conflicts, they were changed by
 * the tool on the user's behalf (e.g. app.ts after `api-resource` registered a router).
 */
export function changedByOtherGenerators(
  tree: Tree,
  generator: string,
  projectDir = '.',
): Set<string> {
  const manifest = readManifest(tree, projectDir);
  const last = new Map<string, { generator: string; hash: string | null }>();
  for (const run of manifest?.runs ?? []) {
    for (const file of run.files)
      last.set(file.path, { generator: run.generator, hash: file.hash });
  }
  const result = new Set<string>();
  for (const [file, record] of last) {
    if (record.generator === generator || record.hash === null) continue;
    const target = path.posix.join(projectDir, file);
    const current = tree.read(target);
    if (current !== null && sha256(current) === record.hash) result.add(target);
  }
  return result;
}
