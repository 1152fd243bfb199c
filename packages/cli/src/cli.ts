import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  displayPath,
  ejectGenerator,
  ExitCode,
  formatPlan,
  GenError,
  optionFlag,
  runGenerator,
  runUndo,
  UsageError,
  type Generator,
  type PlanEntry,
  type PostStep,
  type RunResult,
} from '@svcgen/core';
import { COMMON_FLAGS, parseArgs, type ParsedArgs } from './args.js';
import { coerceOption, describeOptions, type OptionInfo } from './options.js';
import { GENERATORS, type GeneratorEntry } from './registry.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether a person can answer prompts. */
  readonly interactive: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CliDependencies {
  readonly generators?: readonly GeneratorEntry[];
  /** The user's own generators that apply to a folder (default: plopfiles and turbo configs). */
  readonly discover?: (cwd: string, taken: readonly string[]) => Promise<readonly GeneratorEntry[]>;
  readonly prompt?: (
    options: readonly OptionInfo[],
    generator: Generator,
  ) => Promise<Record<string, unknown>>;
}

const EJECT: GeneratorEntry = {
  name: 'eject',
  description:
    "Copy a built-in generator's templates into the project (.gen/templates/) to own them",
  load: () => Promise.reject(new Error('eject is not a generator')),
};

const UNDO: GeneratorEntry = {
  name: 'undo',
  description:
    'Revert the last generator run recorded in the project manifest (.gen/manifest.json)',
  load: () => Promise.reject(new Error('undo is not a generator')),
};

/** Runs `pnpm gen …` and returns the exit code; never throws. */
export async function main(
  argv: readonly string[],
  io: CliIo,
  dependencies: CliDependencies = {},
): Promise<number> {
  const builtIns = dependencies.generators ?? GENERATORS;
  const discover = dependencies.discover ?? discoverUserGenerators;
  let json = argv.includes('--json');
  try {
    const preliminary = parseArgs(argv);
    json = preliminary.json;
    // Built-ins never load a plopfile: only listing and names they do not know do.
    const everything = async () => [
      ...builtIns,
      ...(await discover(
        resolveCwd(preliminary, io),
        builtIns.map((entry) => entry.name),
      )),
    ];
    if (preliminary.list) {
      io.stdout(listText(await everything(), io));
      return ExitCode.ok;
    }
    if (preliminary.command === undefined) {
      if (preliminary.help && preliminary.json) {
        // Machine-readable options of the built-ins, from their zod schemas (turbo/generators reads it).
        const described = await Promise.all(
          builtIns.map(async (entry) => describe(await entry.load())),
        );
        io.stdout(JSON.stringify(described, null, 2));
        return ExitCode.ok;
      }
      const generators = await everything();
      if (preliminary.help || !io.interactive) {
        io.stdout(usageText(generators, io));
        return preliminary.help ? ExitCode.ok : ExitCode.usage;
      }
      const chosen = await chooseGenerator(generators);
      return await main([chosen, ...argv], io, dependencies);
    }
    if (preliminary.command === UNDO.name) return await undo(preliminary, io);
    if (preliminary.command === EJECT.name) return await eject(argv, io, builtIns);

    const command = preliminary.command;
    let entry = builtIns.find((candidate) => candidate.name === command);
    if (entry === undefined) {
      const generators = await everything();
      entry = generators.find(
        (candidate) => candidate.name === command || candidate.alias === command,
      );
      if (entry === undefined) {
        throw new UsageError(
          `unknown generator "${command}"; available: ${[...generators.map((g) => g.name), UNDO.name].join(', ')}`,
        );
      }
    }
    const generator = await entry.load();
    const infos = describeOptions(generator);
    const args = parseArgs(argv, (flag) =>
      infos.some((info) => info.flag === `--${flag}` && info.type === 'boolean'),
    );
    if (args.help) {
      io.stdout(
        args.json ? JSON.stringify(describe(generator), null, 2) : helpText(generator, infos, io),
      );
      return ExitCode.ok;
    }
    const raw = collectOptions(generator, infos, args);
    const missing = infos.filter((info) => info.required && raw[info.key] === undefined);
    if (missing.length > 0) {
      if (!io.interactive || args.yes || args.json) {
        throw new UsageError(
          `missing required option${missing.length > 1 ? 's' : ''}: ${missing.map((info) => (info.positional ? `<${info.key}>` : info.flag)).join(', ')}\n` +
            `run "gen ${generator.name} --help" for usage`,
        );
      }
      const prompt = dependencies.prompt ?? promptForOptions;
      Object.assign(raw, await prompt(missing, generator));
    }

    const cwd = resolveCwd(args, io);
    const result = await runGenerator(generator, raw, {
      cwd,
      userDir: io.env.INIT_CWD ?? io.cwd,
      dryRun: args.dryRun,
      force: args.force,
      ...(args.format === undefined ? {} : { format: args.format }),
      install: args.install,
      migrate: args.migrate,
      ...(generator.positionals === undefined ? {} : { positionals: args.positionals }),
      interactive: io.interactive && !args.yes && !args.json,
    });
    report(io, args, generator.name, result);
    if (result.written || result.plan.every((entry) => entry.action === 'skip')) {
      await runPostSteps(io, args, cwd, result.result.postSteps ?? []);
    }
    if (!args.json && !args.dryRun) {
      for (const line of result.result.nextSteps ?? []) io.stdout(line);
    }
    return ExitCode.ok;
  } catch (error) {
    return fail(io, json, error);
  }
}

function resolveCwd(args: ParsedArgs, io: CliIo): string {
  // `pnpm gen` runs scripts from the workspace root; INIT_CWD is where the user typed the command.
  const base = io.env.INIT_CWD ?? io.cwd;
  return path.resolve(base, args.cwd ?? '.');
}

function collectOptions(
  generator: Generator,
  infos: readonly OptionInfo[],
  args: ParsedArgs,
): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const positional = infos.find((info) => info.positional);
  // Generators with `positionals` (plop's bypass) get the arguments themselves, in `answer`.
  const limit = generator.positionals?.length ?? (positional ? 1 : 0);
  if (args.positionals.length > limit) {
    throw new UsageError(
      `unexpected argument "${args.positionals.at(-1) ?? ''}"; run "gen ${generator.name} --help"`,
    );
  }
  if (generator.positionals === undefined && positional && args.positionals[0] !== undefined)
    raw[positional.key] = args.positionals[0];
  for (const [name, value] of args.flags) {
    const info = infos.find((candidate) => candidate.flag === `--${name}`);
    if (info === undefined)
      throw new UsageError(
        `unknown flag --${name} for "${generator.name}"; run "gen ${generator.name} --help"`,
      );
    if (raw[info.key] !== undefined)
      throw new UsageError(`${info.flag} is given both as a flag and as an argument`);
    raw[info.key] = coerceOption(info, value);
  }
  return raw;
}

async function undo(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.help) {
    io.stdout(
      `gen undo [--cwd <project>] [--dry-run] [--force] [--json]\n\n${UNDO.description}.\nRefuses (exit 1, nothing changed) when a file was edited since that run, unless --force.`,
    );
    return ExitCode.ok;
  }
  if (args.positionals.length > 0 || args.flags.size > 0) {
    throw new UsageError(`undo takes only --cwd, --dry-run, --force and --json`);
  }
  const result = await runUndo({
    cwd: resolveCwd(args, io),
    dryRun: args.dryRun,
    force: args.force,
  });
  report(io, args, `undo (${result.undone})`, result);
  if (result.notUndoable.length > 0 && !args.json) {
    io.stdout(
      `note: that run also ran steps undo cannot revert; check what they did by hand: ${result.notUndoable.join(', ')}`,
    );
  }
  return ExitCode.ok;
}

/** `gen eject <generator> [--service …] [--file …]`: the project's own copies of its templates. */
async function eject(
  argv: readonly string[],
  io: CliIo,
  builtIns: readonly GeneratorEntry[],
): Promise<number> {
  const args = parseArgs(argv);
  const [name, ...extra] = args.positionals;
  if (args.help || name === undefined) {
    io.stdout(
      `gen eject <generator> [--service <name-or-path> | --cwd <project>] [--file <template>] [--dry-run] [--force] [--json]\n\n${EJECT.description}.\n` +
        `Later runs of that generator for the project render its copy where one exists (the plan says "from .gen/templates/…"); delete a copy to go back.\n` +
        `Generators: ${builtIns.map((entry) => entry.name).join(', ')}`,
    );
    return args.help ? ExitCode.ok : ExitCode.usage;
  }
  const entry = builtIns.find((candidate) => candidate.name === name);
  if (entry === undefined) {
    throw new UsageError(
      `eject: "${name}" is not a built-in generator (${builtIns.map((candidate) => candidate.name).join(', ')}); a plop generator's templates are yours already`,
    );
  }
  if (extra.length > 0) throw new UsageError(`eject: unexpected argument "${extra[0] ?? ''}"`);
  const raw: Record<string, unknown> = { generator: name };
  for (const [flag, value] of args.flags) {
    if ((flag !== 'service' && flag !== 'file') || typeof value !== 'string') {
      throw new UsageError(
        `eject takes --service <name-or-path> and --file <template>; got --${flag}`,
      );
    }
    raw[flag] = value;
  }
  const result = await runGenerator(ejectGenerator(await entry.load()), raw, {
    cwd: resolveCwd(args, io),
    userDir: io.env.INIT_CWD ?? io.cwd,
    dryRun: args.dryRun,
    force: args.force,
  });
  report(io, args, `eject (${name})`, result);
  if (!args.json && !args.dryRun) for (const line of result.result.nextSteps ?? []) io.stdout(line);
  return ExitCode.ok;
}

function report(io: CliIo, args: ParsedArgs, title: string, result: RunResult): void {
  if (args.json) {
    io.stdout(
      JSON.stringify(
        {
          generator: title,
          dryRun: args.dryRun,
          written: result.written,
          plan: result.plan,
          deferred: deferredEntries(args, result),
          nextSteps: result.result.nextSteps ?? [],
        },
        null,
        2,
      ),
    );
    return;
  }
  const changed = result.plan.filter((entry: PlanEntry) => entry.action !== 'skip').length;
  io.stdout(formatPlan(result.plan, { diffs: args.dryRun }));
  for (const step of deferredEntries(args, result)) {
    io.stdout(
      step.ran
        ? `RAN    ${step.output ?? step.title}`
        : `RUN    ${step.title} (would run after the files are written; undo cannot revert it)`,
    );
  }
  if (args.dryRun)
    io.stdout(
      `\n${title}: dry run, nothing written (${changed} file${changed === 1 ? '' : 's'} would change)`,
    );
  else if (changed === 0) io.stdout(`\n${title}: nothing to do, everything is up to date`);
  else io.stdout(`\n${title}: ${changed} file${changed === 1 ? '' : 's'} written`);
}

/** A generator's name, description, options and examples, for `--help --json`. */
function describe(generator: Generator) {
  return {
    name: generator.name,
    description: generator.description,
    options: describeOptions(generator),
    examples: generator.examples,
  };
}

/** The steps that could not be staged: what would run (dry run) or what ran. */
function deferredEntries(
  args: ParsedArgs,
  result: RunResult,
): { title: string; ran: boolean; output?: string }[] {
  if (args.dryRun)
    return (result.result.deferred ?? []).map((step) => ({ title: step.title, ran: false }));
  return result.deferred.map((step) => ({ title: step.title, ran: true, output: step.output }));
}

/** plopfiles and turbo gen configs that apply to `cwd`, loaded only when asked for. */
async function discoverUserGenerators(
  cwd: string,
  taken: readonly string[],
): Promise<readonly GeneratorEntry[]> {
  const { discoverPlopGenerators } = await import('@svcgen/plop');
  return discoverPlopGenerators(cwd, taken);
}

async function runPostSteps(
  io: CliIo,
  args: ParsedArgs,
  cwd: string,
  steps: readonly PostStep[],
): Promise<void> {
  if (args.dryRun) {
    for (const step of steps)
      io.stdout(`would run: ${step.command} ${step.args.join(' ')} (in ${step.cwd})`);
    return;
  }
  for (const step of steps) {
    const started = Date.now();
    const log = args.json ? io.stderr : io.stdout;
    log(`… ${step.title}: ${step.command} ${step.args.join(' ')}`);
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(step.command, step.args, {
        cwd: path.resolve(cwd, step.cwd),
        stdio: ['ignore', 'inherit', 'inherit'],
        env: io.env,
      });
      child.on('error', reject);
      child.on('close', (exit) => {
        resolve(exit ?? 1);
      });
    });
    if (code !== 0)
      throw new GenError(
        `${step.title} failed (exit ${code}); the files are written, fix the problem and run "${step.command} ${step.args.join(' ')}" in ${step.cwd}`,
      );
    log(`✓ ${step.title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

function fail(io: CliIo, json: boolean, error: unknown): number {
  const known = error instanceof GenError;
  const exitCode = known ? error.exitCode : ExitCode.failure;
  const message = error instanceof Error ? error.message : String(error);
  if (json) io.stdout(JSON.stringify({ error: { message, exitCode } }, null, 2));
  io.stderr(`error: ${message}`);
  if (!known && io.env.DEBUG !== undefined && error instanceof Error && error.stack)
    io.stderr(error.stack);
  return exitCode;
}

function listText(generators: readonly GeneratorEntry[], io: CliIo): string {
  const all: readonly GeneratorEntry[] = [...generators, EJECT, UNDO];
  const width = Math.max(...all.map((entry) => entry.name.length));
  return all
    .map((entry) => {
      const from = entry.source === undefined ? '' : `  (${sourceOf(entry.source, io)})`;
      return `${entry.name.padEnd(width)}  ${entry.description}${from}`.trimEnd();
    })
    .join('\n');
}

const sourceOf = (file: string, io: CliIo): string => displayPath(file, io.env.INIT_CWD ?? io.cwd);

function usageText(generators: readonly GeneratorEntry[], io: CliIo): string {
  return `Usage: pnpm gen <generator> [name] [options]\n\nGenerators:\n${listText(generators, io).replace(/^/gm, '  ')}\n\nRun "pnpm gen <generator> --help" for its options.`;
}

function helpText(generator: Generator, infos: readonly OptionInfo[], io: CliIo): string {
  const positional = infos.find((info) => info.positional);
  const args =
    generator.positionals === undefined
      ? positional
        ? ` <${positional.key}>`
        : ''
      : generator.positionals.map((key) => ` [${optionFlag(key).slice(2)}]`).join('');
  const lines = [
    `Usage: pnpm gen ${generator.name}${args} [options]`,
    '',
    generator.description,
    ...(generator.source === undefined ? [] : [`Defined in ${sourceOf(generator.source, io)}`]),
    ...(generator.positionals === undefined || generator.positionals.length === 0
      ? []
      : ['Arguments answer the prompts in order ("_" skips one); flags answer them by name.']),
    '',
    'Options:',
  ];
  const rows = infos.map((info) => {
    const value =
      info.type === 'boolean'
        ? ''
        : ` <${info.choices ? info.choices.join('|') : info.type === 'string' ? 'value' : 'number'}>`;
    const left = `${info.positional ? `<${info.key}>, ` : ''}${info.flag}${value}`;
    const notes = [
      info.description,
      info.required ? '(required)' : '',
      info.default === undefined ? '' : `(default: ${JSON.stringify(info.default)})`,
    ]
      .filter(Boolean)
      .join(' ');
    return [left, notes] as const;
  });
  const common = Object.entries(COMMON_FLAGS).map(
    ([flag, text]) => [`--${flag}${flag === 'cwd' ? ' <dir>' : ''}`, text] as const,
  );
  const width = Math.max(...[...rows, ...common].map(([left]) => left.length));
  lines.push(...rows.map(([left, notes]) => `  ${left.padEnd(width)}  ${notes}`));
  lines.push(
    '',
    'Common options:',
    ...common.map(([left, notes]) => `  ${left.padEnd(width)}  ${notes}`),
  );
  lines.push('', 'Examples:', ...generator.examples.map((example) => `  ${example}`));
  return lines.join('\n');
}

async function chooseGenerator(generators: readonly GeneratorEntry[]): Promise<string> {
  const prompts = await import('@clack/prompts');
  const choice = await prompts.select({
    message: 'What do you want to generate?',
    options: [...generators, EJECT, UNDO].map((entry) => ({
      value: entry.name,
      label: entry.name,
      hint: entry.description,
    })),
  });
  if (prompts.isCancel(choice)) throw new UsageError('cancelled');
  return choice;
}

/** Asks for each missing required option; answers are validated by the same schema afterwards. */
async function promptForOptions(
  missing: readonly OptionInfo[],
  generator: Generator,
): Promise<Record<string, unknown>> {
  const prompts = await import('@clack/prompts');
  prompts.intro(`gen ${generator.name}`);
  const answers: Record<string, unknown> = {};
  for (const info of missing) {
    const message = `${info.description || info.key} (${info.positional ? `<${info.key}>` : optionFlag(info.key)})`;
    let answer: unknown;
    if (info.choices) {
      answer = await prompts.select({
        message,
        options: info.choices.map((value) => ({ value, label: value })),
      });
    } else if (info.type === 'boolean') {
      answer = await prompts.confirm({ message });
    } else {
      answer = await prompts.text({
        message,
        validate: (value) => (value === undefined || value.trim() === '' ? 'required' : undefined),
      });
    }
    if (prompts.isCancel(answer)) throw new UsageError('cancelled');
    answers[info.key] = typeof answer === 'string' ? coerceOption(info, answer) : answer;
  }
  return answers;
}
