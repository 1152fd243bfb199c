/**
 * svcgen's built-in generators for `pnpm turbo gen`, for people used to turbo's UI:
 * `pnpm turbo gen api-resource`, or `pnpm turbo gen api-resource --args product ./services/shop "title:string"`.
 *
 * Each one's prompts come from the generator's own zod schema (`pnpm gen <name> --help --json`),
 * and its single action runs `pnpm gen` itself: staged, atomic, with its manifest and undo. Run
 * `pnpm install` first (it builds the CLI this calls).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { PlopTypes } from '@turbo/gen';
import type { OptionInfo } from '../../packages/cli/src/options.js';

interface Described {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionInfo[];
}

type Answers = Record<string, unknown> & { turbo?: { paths?: { cwd?: string } } };

function prompt(option: OptionInfo): PlopTypes.PromptQuestion {
  const message = `${option.description} (${option.flag})`;
  const fallback = option.default === undefined ? {} : { default: option.default };
  if (option.type === 'boolean') return { type: 'confirm', name: option.key, message, ...fallback };
  if (option.choices !== undefined) {
    return { type: 'list', name: option.key, message, choices: [...option.choices], ...fallback };
  }
  return {
    type: 'input',
    name: option.key,
    message,
    ...fallback,
    ...(option.required
      ? { validate: (value: string) => value.trim() !== '' || `${option.flag} is required` }
      : {}),
  };
}

/** The answers back as `pnpm gen` flags: what was left empty is left out, so defaults apply. */
function flags(options: readonly OptionInfo[], answers: Answers): string[] {
  return options.flatMap((option) => {
    const value = answers[option.key];
    if (value === undefined || value === '') return [];
    if (option.type === 'boolean')
      return [value === true || value === 'true' ? option.flag : `--no-${option.flag.slice(2)}`];
    return [`${option.flag}=${String(value)}`];
  });
}

export default function generator(plop: PlopTypes.NodePlopAPI, config?: { runner?: string }): void {
  // `pnpm gen` has these built in; only turbo gen needs them declared.
  if (config?.runner === 'svcgen') return;
  const cli = path.resolve(plop.getPlopfilePath(), '../../packages/cli/dist/bin.js');
  const described = JSON.parse(
    execFileSync(process.execPath, [cli, '--help', '--json'], { encoding: 'utf8' }),
  ) as Described[];

  plop.setActionType('svcgen', (answers, action) => {
    const options = described.find((entry) => entry.name === action.generator)?.options ?? [];
    const cwd = (answers as Answers).turbo?.paths?.cwd ?? process.cwd();
    const output = execFileSync(
      process.execPath,
      [cli, String(action.generator), ...flags(options, answers as Answers), '--yes', '--cwd', cwd],
      { encoding: 'utf8', env: { ...process.env, INIT_CWD: cwd } },
    );
    return (
      output
        .trim()
        .split('\n')
        .filter((line) => /: .*(written|nothing to do)/.test(line))
        .join(' ') || 'done'
    );
  });

  for (const entry of described) {
    plop.setGenerator(entry.name, {
      description: entry.description,
      prompts: entry.options.map(prompt),
      actions: [{ type: 'svcgen', generator: entry.name }],
    });
  }
}
