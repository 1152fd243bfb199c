import { UsageError } from '@svcgen/core';

/** Flags every generator accepts, on top of its own options. */
export const COMMON_FLAGS = {
  'dry-run': 'Print the plan (CREATE / UPDATE / SKIP and diffs); write nothing',
  json: 'Print the plan or the error as JSON on stdout',
  force: 'Overwrite files whose content differs (and undo files edited since)',
  yes: 'Never prompt: a missing required option is an error',
  cwd: 'The project or workspace to operate in (default: where you ran the command)',
  'no-format': 'Skip formatting the written files with Prettier',
  format: 'Format the written files with Prettier (plop generators are not, by default)',
  install: 'Install the dependencies of the generated project afterwards',
  migrate: 'Apply Prisma migrations to DATABASE_URL afterwards',
  help: 'Show help',
} as const;

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positionals: string[];
  /** Generator flags by kebab name; `true` for a bare switch, `false` for --no-<name>. */
  readonly flags: Map<string, string | boolean>;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly force: boolean;
  readonly yes: boolean;
  readonly help: boolean;
  readonly list: boolean;
  /** --format / --no-format; undefined: the generator's default. */
  readonly format: boolean | undefined;
  readonly install: boolean;
  readonly migrate: boolean;
  readonly cwd: string | undefined;
}

/**
 * A small argv parser: `--flag value`, `--flag=value`, bare switches and `--no-<flag>`. Which
 * flags take a value is only known once the generator is loaded, so values are resolved against
 * the generator's options later; here a flag followed by a non-flag word takes it as value.
 */
export function parseArgs(
  argv: readonly string[],
  isSwitch: (flag: string) => boolean = () => false,
): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | boolean>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg === '-h') {
      flags.set('help', true);
      continue;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1)
        throw new UsageError(`unknown flag ${arg}; run with --help`);
      positionals.push(arg);
      continue;
    }
    const body = arg.slice(2);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new UsageError(`malformed flag ${arg}`);
    if (flags.has(name)) throw new UsageError(`--${name} is given twice`);
    if (eq !== -1) {
      flags.set(name, body.slice(eq + 1));
    } else if (name.startsWith('no-')) {
      flags.set(name.slice(3), false);
    } else if (isCommonSwitch(name) || isSwitch(name)) {
      flags.set(name, true);
    } else {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) flags.set(name, true);
      else {
        flags.set(name, next);
        index += 1;
      }
    }
  }
  const take = (name: string): string | boolean | undefined => {
    const value = flags.get(name);
    flags.delete(name);
    return value;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const value = take(name);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    throw new UsageError(`--${name} takes no value`);
  };
  const optionalBool = (name: string): boolean | undefined => {
    const value = take(name);
    if (value === undefined || typeof value === 'boolean') return value;
    throw new UsageError(`--${name} takes no value`);
  };
  const cwd = take('cwd');
  if (cwd === true || cwd === false) throw new UsageError('--cwd needs a directory');
  const [command, ...rest] = positionals;
  return {
    command,
    positionals: rest,
    dryRun: bool('dry-run', false),
    json: bool('json', false),
    force: bool('force', false),
    yes: bool('yes', false),
    help: bool('help', false),
    list: bool('list', false),
    format: optionalBool('format'),
    install: bool('install', false),
    migrate: bool('migrate', false),
    cwd,
    flags,
  };
}

function isCommonSwitch(name: string): boolean {
  return [
    'dry-run',
    'json',
    'force',
    'yes',
    'help',
    'list',
    'format',
    'install',
    'migrate',
  ].includes(name);
}
