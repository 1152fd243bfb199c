import path from 'node:path';
import { applyChanges, type ApplyHooks } from './apply.js';
import { GenError, UsageError } from './errors.js';
import { formatStagedFiles } from './format.js';
import { optionFlag, type GenerateResult, type Generator } from './generator.js';
import { recordRun, toManifestRun } from './manifest.js';
import { toPlan, type PlanEntry } from './plan.js';
import { displayPath } from './service.js';
import { OVERRIDES_DIR, TemplateRenderer } from './render.js';
import { Tree } from './tree.js';
import { stageUndo } from './undo.js';

export interface RunOptions {
  readonly cwd: string;
  readonly dryRun?: boolean;
  readonly force?: boolean;
  readonly format?: boolean;
  readonly install?: boolean;
  readonly migrate?: boolean;
  /** Where the user ran the command, for paths in messages (default: INIT_CWD or the process cwd). */
  readonly userDir?: string;
  /** Fixed clock for reproducible manifests in tests. */
  readonly now?: Date;
  readonly hooks?: ApplyHooks;
  /** Positional arguments for `Generator.answer` (plop's bypass). */
  readonly positionals?: readonly string[];
  /** Whether `Generator.answer` may ask a person (a terminal, no --yes). */
  readonly interactive?: boolean;
}

/** A deferred step (see DeferredStep) and what it reported. */
export interface DeferredResult {
  readonly title: string;
  readonly output: string;
}

export interface RunResult {
  readonly plan: PlanEntry[];
  /** True when files were written (false for a dry run or a run that changes nothing). */
  readonly written: boolean;
  readonly result: GenerateResult;
  /** The deferred steps that ran after the write, in order (none on a dry run). */
  readonly deferred: readonly DeferredResult[];
}

/** Validates raw options against the generator's schema; one problem is one line, several a list. */
export function parseOptions(
  generator: Generator,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const parsed = generator.options.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    return `${optionFlag(key)}: ${issue.message}`;
  });
  const [only] = problems;
  if (problems.length === 1 && only !== undefined) throw new UsageError(only);
  throw new UsageError(
    `invalid options for "${generator.name}":\n${problems.map((line) => `  ${line}`).join('\n')}`,
  );
}

/**
 * Runs a generator against a staged tree: generate, format, record in the manifest, and only then
 * write everything at once. Any error before the write leaves the disk untouched.
 */
export async function runGenerator(
  generator: Generator,
  rawOptions: Record<string, unknown>,
  options: RunOptions,
): Promise<RunResult> {
  const flags = parseOptions(generator, rawOptions);
  const parsed =
    generator.answer === undefined
      ? flags
      : await generator.answer(flags, {
          positionals: options.positionals ?? [],
          interactive: options.interactive === true,
        });
  const cwd = path.resolve(options.cwd);
  const project = path.resolve(cwd, generator.project?.(parsed, cwd) ?? cwd);
  // A project below cwd keeps cwd as the root, so plans show paths as the user sees them; one
  // elsewhere (a path the user named) becomes the root, and nothing outside it can be written.
  const root = isInside(project, cwd) ? cwd : project;
  const tree = new Tree(root);
  const projectDir = path.relative(root, project).split(path.sep).join('/') || '.';
  const templates = new TemplateRenderer(generator.templatesDir, {
    overridesRoot: path.join(project, OVERRIDES_DIR, generator.name),
  });
  const result =
    (await generator.generate(tree, parsed, {
      cwd: tree.root,
      startedIn: cwd,
      projectDir,
      pathForUser: (file) => displayPath(path.resolve(root, file), options.userDir),
      force: options.force === true,
      templates,
      install: options.install === true,
      migrate: options.migrate === true,
    })) ?? {};
  // Formatting overlaps the work other processes still do for the tree (a migration diff).
  const formatted =
    (options.format ?? generator.formatByDefault ?? true)
      ? formatStagedFiles(
          tree,
          tree.touchedPaths(),
          (file) => templates.rendered.get(file) === tree.read(file),
        )
      : Promise.resolve();
  await Promise.all([formatted, tree.settle()]);
  tree.assertNoConflicts();

  const changes = tree.changes();
  const deferred = result.deferred ?? [];
  if (changes.length > 0 || (deferred.length > 0 && options.dryRun !== true)) {
    const run = toManifestRun(
      generator.name,
      parsed,
      changes,
      options.now ?? new Date(),
      projectDir,
    );
    const notUndoable = deferred.map((step) => step.title);
    recordRun(tree, notUndoable.length > 0 ? { ...run, notUndoable } : run, projectDir);
  }
  const fromOverrides = new Map(
    [...templates.overridden].map(([file, template]) => [
      file,
      path.relative(root, template).split(path.sep).join('/'),
    ]),
  );
  const committed = await commit(tree, options, result, fromOverrides);
  if (options.dryRun === true) return committed;
  // After the write, in order: they may read what the staged actions wrote.
  const ran: DeferredResult[] = [];
  for (const step of deferred) {
    try {
      ran.push({ title: step.title, output: await step.run() });
    } catch (error) {
      const written = committed.written ? 'the files are written, and ' : '';
      throw new GenError(
        `${step.title} failed: ${error instanceof Error ? error.message : String(error)} (${written}${ran.length} of ${deferred.length} steps that cannot be staged ran before it)`,
        { cause: error },
      );
    }
  }
  return { ...committed, deferred: ran };
}

function isInside(dir: string, parent: string): boolean {
  const relative = path.relative(parent, dir);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Reverts the last run recorded in the manifest of `options.cwd`. */
export async function runUndo(
  options: RunOptions,
): Promise<RunResult & { undone: string; notUndoable: readonly string[] }> {
  const tree = new Tree(options.cwd);
  const run = stageUndo(tree, { force: options.force === true });
  return {
    ...(await commit(tree, options, {})),
    undone: run.generator,
    notUndoable: run.notUndoable ?? [],
  };
}

async function commit(
  tree: Tree,
  options: RunOptions,
  result: GenerateResult,
  fromOverrides: ReadonlyMap<string, string> = new Map(),
): Promise<RunResult> {
  const changes = tree.changes();
  const plan = toPlan(changes, tree.touchedPaths(), fromOverrides);
  if (options.dryRun === true || changes.length === 0)
    return { plan, written: false, result, deferred: [] };
  await applyChanges(tree.root, changes, options.hooks);
  return { plan, written: true, result, deferred: [] };
}
