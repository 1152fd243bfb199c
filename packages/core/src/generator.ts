import type { z } from 'zod';
import type { TemplateRenderer } from './render.js';
import type { Tree } from './tree.js';

/** Work that runs after the files are written: installs, migrations. Never during a dry run. */
export interface PostStep {
  readonly title: string;
  /** The working directory, relative to the run's cwd. */
  readonly cwd: string;
  readonly command: string;
  readonly args: readonly string[];
}

export interface GeneratorContext {
  /** The directory the run operates in; every path the generator writes is relative to it. */
  readonly cwd: string;
  readonly force: boolean;
  readonly templates: TemplateRenderer;
  /** Post-steps the user opted into (--install, --migrate). */
  readonly install: boolean;
  readonly migrate: boolean;
}

export interface GenerateResult {
  readonly postSteps?: readonly PostStep[];
  /** Lines printed after a successful run, e.g. what to do next. */
  readonly nextSteps?: readonly string[];
  /**
   * Folder (relative to the run's cwd) of the project this run belongs to: its
   * `.gen/manifest.json` records the run, with paths relative to it, so `gen undo --cwd <project>`
   * reverts it. Defaults to the cwd. Every change must lie inside it.
   */
  readonly projectDir?: string;
}

/**
 * A generator the Nx/plop way: one zod schema for its options (flags, prompts, validation and
 * --help all come from it), then a function that stages files in a Tree.
 */
export interface Generator<Schema extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  readonly options: Schema;
  /** The option filled by the first positional argument, e.g. `pnpm gen service billing`. */
  readonly positional?: keyof z.infer<Schema> & string;
  readonly examples: readonly string[];
  /** Absolute path of this generator's templates folder. */
  readonly templatesDir: string;
  generate(
    tree: Tree,
    options: z.infer<Schema>,
    context: GeneratorContext,
  ): Promise<GenerateResult | undefined>;
}

/** Keeps the schema's type when declaring a generator. */
export function defineGenerator<Schema extends z.ZodObject>(
  generator: Generator<Schema>,
): Generator<Schema> {
  return generator;
}
