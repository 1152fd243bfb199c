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

/**
 * Work a generator cannot stage (plop's custom action types and function actions): it runs after
 * every staged file is written, in order, never on a dry run, and `gen undo` cannot revert it.
 */
export interface DeferredStep {
  /** What it is, as "would run <title>" on a dry run. */
  readonly title: string;
  /** Runs it; resolves with a line to report. */
  run(): Promise<string>;
}

/** What `Generator.answer` may use besides the parsed flags. */
export interface AnswerContext {
  /** Arguments after the generator's name, in `Generator.positionals` order (`_` skips one). */
  readonly positionals: readonly string[];
  /** Whether a person may be asked for what is missing. */
  readonly interactive: boolean;
}

export interface GeneratorContext {
  /** The tree's root (absolute); every path the generator stages is relative to it. */
  readonly cwd: string;
  /** The folder the run was started in (`--cwd`, absolute); relative options are relative to it. */
  readonly startedIn: string;
  /**
   * The project the run writes into, relative to the tree's root (`.` when it is the root): the
   * folder `Generator.project` named. Every change lies inside it; its manifest records the run.
   */
  readonly projectDir: string;
  /**
   * A path relative to the tree's root as the user would type it where they ran the command
   * (relative below that folder, absolute elsewhere): for messages such as "cd …".
   */
  pathForUser(file: string): string;
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
  readonly deferred?: readonly DeferredStep[];
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
  /**
   * Options answered by positional arguments in this order, for generators with `answer` (plop's
   * bypass: `pnpm gen component Button _ yes`); the arguments reach `answer`, not the schema.
   */
  readonly positionals?: readonly string[];
  /** Whether written files go through Prettier unless --format or --no-format says (default true). */
  readonly formatByDefault?: boolean;
  /** Where it was defined, for --list and --help (e.g. the plopfile). */
  readonly source?: string;
  /**
   * For generators whose options depend on each other (plop prompts: `when`, `default`, `filter`,
   * `validate`): turns the parsed flags into what generate() gets, asking a person where allowed.
   * A missing or invalid answer is a UsageError naming its flag.
   */
  answer?(options: z.infer<Schema>, context: AnswerContext): Promise<z.infer<Schema>>;
  readonly examples: readonly string[];
  /** Absolute path of this generator's templates folder. */
  readonly templatesDir: string;
  /**
   * The folder of the project this run writes into, absolute, from the parsed options and the
   * folder the run was started in (`cwd`): the service `--service` names, wherever it lies. Every
   * change must lie inside it; its `.gen/manifest.json` records the run, so `gen undo --cwd
   * <project>` reverts it. Without it, the project is `cwd`. Throw a UsageError for a folder that
   * is not a project of this generator or cannot be written.
   */
  project?(options: z.infer<Schema>, cwd: string): string;
  generate(
    tree: Tree,
    options: z.infer<Schema>,
    context: GeneratorContext,
  ): Promise<GenerateResult | undefined>;
}

/** The command-line flag an option key is given as: `jwtSecret` → `--jwt-secret`. */
export function optionFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** Keeps the schema's type when declaring a generator. */
export function defineGenerator<Schema extends z.ZodObject>(
  generator: Generator<Schema>,
): Generator<Schema> {
  return generator;
}
