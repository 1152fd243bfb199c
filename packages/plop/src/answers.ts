/**
 * Plop prompts as `pnpm gen` flags: each prompt is a flag named after it in kebab case, typed by
 * its prompt type, and answered from a flag, a positional argument (plop's bypass), a person at a
 * terminal, or its default, with `when`, `filter` and `validate` applied as plop applies them.
 */
import { UsageError } from '@svcgen/core';
import { camelCase, kebabCase } from 'change-case';
import { z } from 'zod';
import type { Answers, PlopGenerator, PlopPrompt } from './api.js';
import { loadInquirer } from './inquirer.js';

/** The option key of a prompt: camelCase of its kebab name, so the flag is `--<kebab name>`. */
export const promptKey = (name: string): string => camelCase(kebabCase(name));
const flagOf = (name: string): string => `--${kebabCase(name)}`;

/** pnpm gen's own flags: a prompt of that name is answered by its position only. */
const RESERVED = new Set([
  'cwd',
  'dry-run',
  'force',
  'format',
  'help',
  'install',
  'json',
  'list',
  'migrate',
  'yes',
]);
const isReserved = (prompt: PlopPrompt): boolean => RESERVED.has(kebabCase(prompt.name));

const LIST_TYPES = new Set(['list', 'rawlist', 'expand', 'select']);

/** The prompts of a generator when they are a list (a function asks in code, interactively only). */
export function promptList(generator: PlopGenerator): readonly PlopPrompt[] {
  const { prompts } = generator;
  return typeof prompts === 'function' || prompts === undefined ? [] : prompts;
}

/** The flags schema: one optional flag per prompt, for parsing and --help. */
export function flagsSchema(generator: PlopGenerator): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  const owners = new Map<string, string>();
  for (const prompt of promptList(generator)) {
    if (isReserved(prompt)) continue;
    const key = promptKey(prompt.name);
    const other = owners.get(key);
    if (other !== undefined) {
      throw new UsageError(
        `plop generator "${generator.name}": prompts "${other}" and "${prompt.name}" would both be ${flagOf(prompt.name)}`,
      );
    }
    owners.set(key, prompt.name);
    const type = prompt.type ?? 'input';
    // A number prompt's command-line value stays the text typed, as plop's bypass keeps it.
    const base = type === 'confirm' ? z.boolean() : z.string();
    shape[key] = base.optional().describe(describePrompt(prompt));
  }
  return z.object(shape);
}

function describePrompt(prompt: PlopPrompt): string {
  const type = prompt.type ?? 'input';
  const message = typeof prompt.message === 'string' ? prompt.message : prompt.name;
  const notes: string[] = [];
  if (Array.isArray(prompt.choices)) {
    const values = choicesOf(prompt.choices).map((choice) => String(valueOf(choice)));
    notes.push(type === 'checkbox' ? `comma list of ${values.join(', ')}` : values.join(' | '));
  } else if (type === 'checkbox') notes.push('comma list');
  if (prompt.default !== undefined && typeof prompt.default !== 'function') {
    notes.push(`default: ${JSON.stringify(prompt.default)}`);
  }
  if (typeof prompt.when === 'function') notes.push('asked only when it applies');
  return notes.length === 0 ? message : `${message} (${notes.join('; ')})`;
}

export interface AnswerOptions {
  readonly generator: PlopGenerator;
  readonly flags: Record<string, unknown>;
  readonly positionals: readonly string[];
  readonly interactive: boolean;
  /** The command that runs this generator, for messages. */
  readonly command: string;
}

/** Every answer of a run, in prompt order; a missing or rejected one is a UsageError naming its flag. */
export async function collectAnswers(options: AnswerOptions): Promise<Answers> {
  const { generator, flags, positionals, interactive, command } = options;
  if (typeof generator.prompts === 'function') {
    if (!interactive || positionals.length > 0 || Object.keys(flags).length > 0) {
      throw new UsageError(
        `"${command}" asks its questions in code (its prompts are a function): run it in a terminal, without --yes or arguments`,
      );
    }
    return await generator.prompts(await loadInquirer());
  }
  const prompts = promptList(generator);
  if (positionals.length > prompts.length) {
    throw new UsageError(
      `"${command}" takes at most ${String(prompts.length)} argument${prompts.length === 1 ? '' : 's'} (one per prompt, "_" to skip one); got ${String(positionals.length)}`,
    );
  }
  const answers: Answers = {};
  const missing: PlopPrompt[] = [];
  for (const [index, prompt] of prompts.entries()) {
    const flag = isReserved(prompt)
      ? `argument ${String(index + 1)} (${prompt.name})`
      : flagOf(prompt.name);
    const fromFlag = isReserved(prompt) ? undefined : flags[promptKey(prompt.name)];
    const positional = positionals[index];
    const fromArgument =
      positional === undefined || /^_+$/.test(positional) ? undefined : positional;
    if (fromFlag !== undefined && fromArgument !== undefined) {
      throw new UsageError(`${flag} is given both as a flag and as argument ${String(index + 1)}`);
    }
    const given = fromFlag ?? fromArgument;
    // At a terminal, inquirer asks in order and decides `when` with every earlier answer known.
    if (!interactive && !(await applies(prompt, answers))) {
      if (given !== undefined) {
        throw new UsageError(
          `${flag} does not apply to these answers (its prompt's "when" is false)`,
        );
      }
      continue;
    }
    if (given !== undefined) {
      answers[prompt.name] = await fromCommandLine(prompt, given, answers, flag);
    } else if (!interactive && prompt.default !== undefined) {
      answers[prompt.name] = await fromDefault(prompt, answers, flag);
    } else if (!interactive) {
      missing.push(prompt);
    }
  }
  if (missing.length > 0) {
    const list = missing
      .map((prompt) => {
        const name = isReserved(prompt)
          ? `argument ${String(prompts.indexOf(prompt) + 1)}`
          : flagOf(prompt.name);
        return typeof prompt.message === 'string' ? `${name} (${prompt.message})` : name;
      })
      .join(', ');
    throw new UsageError(
      `missing answer${missing.length > 1 ? 's' : ''}: ${list}; run "gen ${command} --help" for usage`,
    );
  }
  if (!interactive) return answers;
  // Inquirer skips what is already answered and asks the rest, with its own when/default/filter/validate.
  const inquirer = await loadInquirer();
  return await inquirer.prompt(prompts, answers);
}

async function applies(prompt: PlopPrompt, answers: Answers): Promise<boolean> {
  const { when } = prompt;
  if (when === undefined) return true;
  if (typeof when === 'function') return Boolean(await (when as (a: Answers) => unknown)(answers));
  return Boolean(when);
}

/**
 * A value typed on the command line, as plop's bypass takes it: converted by the prompt's type
 * (confirm: yes/no, lists: a choice's value, name, key or index), filtered, then validated as
 * given (plop validates the value before its filter).
 */
async function fromCommandLine(
  prompt: PlopPrompt,
  given: unknown,
  answers: Answers,
  flag: string,
): Promise<unknown> {
  let value: unknown;
  try {
    value = typeof given === 'string' ? await convert(prompt, given, answers) : given;
  } catch (error) {
    throw new UsageError(`${flag}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const answer = prompt.filter === undefined ? value : await prompt.filter(value, answers);
  await check(prompt, value, answers, flag);
  return answer;
}

/** A default, taken as a person pressing Enter would: filtered, then validated (inquirer's order). */
async function fromDefault(prompt: PlopPrompt, answers: Answers, flag: string): Promise<unknown> {
  const raw: unknown =
    typeof prompt.default === 'function'
      ? await (prompt.default as (a: Answers) => unknown)(answers)
      : prompt.default;
  let value = raw;
  if (LIST_TYPES.has(prompt.type ?? '') && typeof raw === 'number') {
    const choices = choicesOf(await choiceList(prompt, answers));
    value = choices[raw] === undefined ? raw : valueOf(choices[raw]);
  }
  const answer = prompt.filter === undefined ? value : await prompt.filter(value, answers);
  await check(prompt, answer, answers, flag);
  return answer;
}

async function check(
  prompt: PlopPrompt,
  value: unknown,
  answers: Answers,
  flag: string,
): Promise<void> {
  if (prompt.validate === undefined) return;
  const verdict = await prompt.validate(value, answers);
  if (verdict === true) return;
  throw new UsageError(
    `${flag}: ${typeof verdict === 'string' && verdict !== '' ? verdict : 'invalid value'}`,
  );
}

async function convert(prompt: PlopPrompt, given: string, answers: Answers): Promise<unknown> {
  if (prompt.bypass !== undefined) return prompt.bypass(given, prompt);
  const type = prompt.type ?? 'input';
  if (type === 'confirm') {
    if (['yes', 'y', 'true', 't'].includes(given.toLowerCase())) return true;
    if (['no', 'n', 'false', 'f'].includes(given.toLowerCase())) return false;
    throw new Error(`expected yes or no, got ${JSON.stringify(given)}`);
  }
  if (LIST_TYPES.has(type) || type === 'checkbox') {
    // Indexes count inquirer's separators, as plop's bypass does; a separator is never a choice.
    const all = await choiceList(prompt, answers);
    const choices = choicesOf(all);
    const listed = Array.isArray(all) ? (all as unknown[]) : [];
    const pick = (text: string): unknown => {
      const found = listed.find(
        (choice, index) => !isSeparator(choice) && matches(choice, index, text),
      );
      if (found === undefined) {
        throw new Error(
          `no choice ${JSON.stringify(text)}; choose from ${choices.map((choice) => String(valueOf(choice))).join(', ')}`,
        );
      }
      return valueOf(found);
    };
    if (type !== 'checkbox') return pick(given);
    return given === '' ? [] : given.split(',').map(pick);
  }
  return given;
}

async function choiceList(prompt: PlopPrompt, answers: Answers): Promise<unknown> {
  const { choices } = prompt;
  return typeof choices === 'function'
    ? await (choices as (a: Answers) => unknown)(answers)
    : choices;
}

/** The selectable choices (inquirer's separators are not). */
function choicesOf(choices: unknown): unknown[] {
  if (!Array.isArray(choices)) return [];
  return (choices as unknown[]).filter((choice) => !isSeparator(choice));
}

function isSeparator(choice: unknown): boolean {
  return (
    typeof choice === 'object' &&
    choice !== null &&
    (choice as { type?: unknown }).type === 'separator'
  );
}

function valueOf(choice: unknown): unknown {
  if (typeof choice !== 'object' || choice === null) return choice;
  const { value, name, key } = choice as { value?: unknown; name?: unknown; key?: unknown };
  return value ?? name ?? key;
}

/** plop's bypass rule: a choice's value, key, name or index, ignoring case. */
function matches(choice: unknown, index: number, text: string): boolean {
  const same = (candidate: unknown) =>
    typeof candidate === 'string' && candidate.toLowerCase() === text.toLowerCase();
  if (same(choice) || same(String(index))) return true;
  if (typeof choice !== 'object' || choice === null) return false;
  const { value, key, name } = choice as { value?: unknown; key?: unknown; name?: unknown };
  return same(value) || same(key) || same(name);
}
