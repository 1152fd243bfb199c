/**
 * plop's built-in actions (add, addMany, modify, append) staged in the engine's tree instead of
 * written: their options as plop 4 documents them, with the bytes node-plop 0.32 would write.
 * Custom action types and function actions cannot be staged; they become deferred steps that run
 * after the write. Any failure fails the whole run before anything is written.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { GenError, UsageError, type DeferredStep, type Tree } from '@svcgen/core';
import { globSync, type GlobOptions } from 'tinyglobby';
import type { ActionConfig, Answers, PlopAction, PlopfileApi, PlopGenerator } from './api.js';

const BUILT_IN = new Set(['add', 'addMany', 'modify', 'append']);

export interface StagedActions {
  /** Steps that cannot be staged, to run after the write. */
  readonly deferred: DeferredStep[];
  /** What each action did, as plop reports it. */
  readonly report: string[];
}

interface ActionFailure {
  readonly index: number;
  readonly type: string;
  readonly error: string;
}

/** Stages every action of `generator` for `answers` into `tree`. */
export async function stageActions(
  tree: Tree,
  generator: PlopGenerator,
  answers: Answers,
  options: { readonly force: boolean },
): Promise<StagedActions> {
  const plop = generator.plop;
  const actions: unknown =
    typeof generator.actions === 'function' ? generator.actions(answers) : generator.actions;
  if (actions === undefined || actions === null)
    throw new GenError(`${generator.name} has no actions`);
  if (!Array.isArray(actions)) throw new GenError(`${generator.name} has invalid actions`);
  const deferred: DeferredStep[] = [];
  const report: string[] = [];
  const failures: ActionFailure[] = [];
  let aborted = false;
  for (const [index, action] of (actions as PlopAction[]).entries()) {
    if (typeof action === 'string') {
      if (!aborted) report.push(action);
      continue;
    }
    const config: ActionConfig = typeof action === 'function' ? { type: 'function' } : action;
    const type = typeof config.type === 'string' ? config.type : '';
    if (aborted) {
      failures.push({ index, type, error: 'Aborted due to previous action failure' });
      continue;
    }
    try {
      const line = await stageOne(
        tree,
        plop,
        action,
        { ...config, force: options.force || config.force === true },
        answers,
        deferred,
        index,
      );
      report.push(line);
    } catch (error) {
      // A path outside the project is the engine's refusal (exit 2), not an action failing.
      if (error instanceof UsageError) throw error;
      failures.push({ index, type, error: messageOf(error) });
      if (config.abortOnFail !== false) aborted = true;
    }
  }
  const [first] = failures;
  if (first !== undefined) {
    const more = failures.length > 1 ? ` (and ${String(failures.length - 1)} more)` : '';
    throw new GenError(
      `plop action #${String(first.index + 1)}${first.type === '' ? '' : ` (${first.type})`} of "${generator.name}" failed: ${first.error}${more}; nothing was written`,
    );
  }
  return { deferred, report };
}

async function stageOne(
  tree: Tree,
  plop: PlopfileApi,
  action: Exclude<PlopAction, string>,
  config: ActionConfig,
  answers: Answers,
  deferred: DeferredStep[],
  index: number,
): Promise<string> {
  const type = typeof config.type === 'string' ? config.type : '';
  // Built-ins win over custom action types of the same name, as in plop.
  const custom =
    typeof action === 'function'
      ? action
      : BUILT_IN.has(type)
        ? undefined
        : plop.getActionType(type);
  if (custom === undefined && !BUILT_IN.has(type))
    throw new Error(`Invalid action (#${String(index + 1)})`);
  const staged = custom === undefined;

  const extra =
    typeof config.data === 'function'
      ? await (config.data as () => unknown)()
      : (config.data ?? {});
  const cfgData = (typeof extra === 'object' && extra !== null ? extra : {}) as Answers;
  if (config.skip !== undefined) {
    if (typeof config.skip !== 'function')
      throw new Error(`Invalid value for skip (${typeof config.skip} is not a function)`);
    const reason: unknown = await (config.skip as (data: Answers) => unknown)({
      ...answers,
      ...cfgData,
    });
    if (typeof reason === 'string') return `[SKIPPED] ${reason}`;
  }
  // Action data fills keys the answers lack, for this action only.
  const data: Answers = { ...answers };
  for (const [key, value] of Object.entries(cfgData))
    if (data[key] === undefined) data[key] = value;

  if (!staged) {
    const title =
      typeof action === 'function'
        ? `function action #${String(index + 1)}${action.name === '' ? '' : ` (${action.name})`}`
        : `${type} action #${String(index + 1)}`;
    deferred.push({
      title,
      run: async () => {
        const result: unknown = await custom(data, config, plop);
        return `${title}: ${typeof result === 'string' ? result : JSON.stringify(result)}`;
      },
    });
    return `${title} (runs after the files are written)`;
  }
  const files = new ActionFiles(tree, plop);
  checkInterface(config, type);
  switch (type) {
    case 'add':
      return await add(
        files,
        { ...config, templateFile: renderedTemplatePath(plop, config, data) },
        data,
      );
    case 'addMany':
      return await addMany(files, config, data);
    case 'modify':
      return await modify(files, config, data);
    default:
      return await append(files, config, data);
  }
}

/** plop's common checks of an action config, with its messages. */
function checkInterface(config: ActionConfig, type: string): void {
  if (type !== 'addMany' && (typeof config.path !== 'string' || config.path.length === 0)) {
    throw new Error(`Invalid path "${String(config.path)}"`);
  }
  if (config.abortOnFail !== undefined && typeof config.abortOnFail !== 'boolean') {
    throw new Error(
      `Invalid value for abortOnFail (${JSON.stringify(config.abortOnFail)} is not a Boolean)`,
    );
  }
  if ('transform' in config && typeof config.transform !== 'function') {
    throw new Error(`Invalid value for transform (${typeof config.transform} is not a function)`);
  }
  if (type === 'modify' && !('pattern' in config) && !('transform' in config)) {
    throw new Error('Invalid modify action (modify must have a pattern or transform function)');
  }
}

/** Reads through the tree (so earlier actions of the run are seen) and stages writes in it. */
class ActionFiles {
  constructor(
    private readonly tree: Tree,
    readonly plop: PlopfileApi,
  ) {}

  /** Where an action's `path` lands: rendered, then resolved against the destination base. */
  destination(config: ActionConfig, data: Answers): string {
    const raw = typeof config.path === 'string' ? config.path.replace(/\\/g, '/') : '';
    return path.resolve(
      this.plop.getDestBasePath(),
      this.plop.renderString(raw, fullData(config, data)),
    );
  }

  /** The path as plop reports it: relative to the destination base, with a leading slash. */
  reported(file: string): string {
    return file.replace(path.resolve(this.plop.getDestBasePath()), '');
  }

  read(file: string): string | null {
    return this.tree.read(this.tree.relative(file));
  }

  existsInRun(file: string): boolean {
    return this.tree.isStaged(this.tree.relative(file));
  }

  create(file: string, content: string, force: boolean): void {
    this.tree.create(this.tree.relative(file), content, { force });
  }

  overwrite(file: string, content: string): void {
    this.tree.overwrite(this.tree.relative(file), content);
  }

  async template(config: ActionConfig, data: Answers): Promise<string> {
    let template = typeof config.template === 'string' ? config.template : '';
    if (typeof config.templateFile === 'string' && config.templateFile !== '') {
      const file = path.resolve(this.plop.getPlopfilePath(), config.templateFile);
      template = readFileSync(file, 'utf8');
    }
    return Promise.resolve(this.plop.renderString(template, fullData(config, data)));
  }
}

const fullData = (config: ActionConfig, data: Answers): Answers => ({
  ...(typeof config.data === 'object' && config.data !== null ? (config.data as Answers) : {}),
  ...data,
});

/** add's `templateFile` is itself a template: rendered (as an absolute path) with the answers. */
function renderedTemplatePath(
  plop: PlopfileApi,
  config: ActionConfig,
  data: Answers,
): string | undefined {
  if (typeof config.templateFile !== 'string' || config.templateFile === '') return undefined;
  const absolute = path.resolve(plop.getPlopfilePath(), config.templateFile).replace(/\\/g, '/');
  return plop.renderString(absolute, fullData(config, data));
}

async function add(files: ActionFiles, config: ActionConfig, data: Answers): Promise<string> {
  const target = files.destination(config, data);
  const force = config.force === true;
  // A folder in the way: plop's existence check sees it too (skipIfExists skips, else it fails).
  if (!files.existsInRun(target) && isDirectory(target)) {
    if (config.skipIfExists === true) return `[SKIPPED] ${target} (exists)`;
    throw new Error(`File already exists\n -> ${target}`);
  }
  const onDisk = files.read(target) !== null;
  if (onDisk && !force) {
    if (config.skipIfExists === true) return `[SKIPPED] ${target} (exists)`;
    // Added earlier in this run: plop would find it on disk and fail.
    if (files.existsInRun(target)) throw new Error(`File already exists\n -> ${target}`);
  }
  if (
    typeof config.templateFile === 'string' &&
    isBinary(path.resolve(files.plop.getPlopfilePath(), config.templateFile))
  ) {
    throw new Error(
      `${config.templateFile} is a binary file; svcgen stages text only, so copy it with a function action`,
    );
  }
  const rendered = await files.template(config, data);
  const content = await transformed(rendered, config, data);
  // An existing file: the same content is a no-op, different content a conflict unless forced.
  files.create(target, content, force);
  return files.reported(target);
}

async function transformed(content: string, config: ActionConfig, data: Answers): Promise<string> {
  if (!('transform' in config)) return content;
  const result: unknown = await (config.transform as (text: string, d: Answers) => unknown)(
    content,
    data,
  );
  if (typeof result !== 'string') {
    throw new TypeError(
      `Invalid return value for transform (${JSON.stringify(result)} is not a string)`,
    );
  }
  return result;
}

async function addMany(
  files: ActionFiles,
  userConfig: ActionConfig,
  data: Answers,
): Promise<string> {
  const plop = files.plop;
  const config: Record<string, unknown> = {
    verbose: true,
    stripExtensions: ['hbs'],
    ...userConfig,
  };
  const destination = config.destination;
  if (typeof destination !== 'string' || destination.length === 0) {
    throw new Error(`Invalid destination "${String(destination)}"`);
  }
  const base =
    typeof config.base === 'string' && config.base !== ''
      ? plop.renderString(config.base, data)
      : undefined;
  const listed: unknown =
    typeof config.templateFiles === 'function'
      ? (config.templateFiles as () => unknown)()
      : config.templateFiles;
  const patterns = ([] as unknown[])
    .concat(listed)
    .map((pattern) => plop.renderString(String(pattern), data));
  const plopfileDir = path.resolve(plop.getPlopfilePath());
  const absoluteBase = path.resolve(plopfileDir, base ?? '');
  const templates = globSync(patterns, {
    cwd: plopfileDir,
    braceExpansion: false,
    expandDirectories: true,
    absolute: true,
    ...(config.globOptions as GlobOptions | undefined),
  })
    .filter((file) => file.startsWith(absoluteBase.replace(/\\/g, '/')))
    .filter((file) => isFile(file));
  const added: string[] = [];
  for (const templateFile of templates) {
    const relative = path.relative(absoluteBase, templateFile);
    const fileConfig: ActionConfig = {
      ...config,
      path: stripExtensions(config.stripExtensions, joinDestination(destination, relative, base)),
      templateFile,
    };
    added.push(await add(files, fileConfig, data));
  }
  const summary = `${String(added.length)} files added`;
  return config.verbose === false ? summary : `${summary}\n -> ${added.join('\n -> ')}`;
}

/** Where addMany puts a template: the destination plus its path below `base` (or below its first folder). */
function joinDestination(destination: string, file: string, base: string | undefined): string {
  const below =
    base === undefined ? file.split(path.sep).slice(1).join(path.sep) : file.replace(base, '');
  return path.join(destination, below).replace(/\\/g, '/');
}

/** `.hbs` (or the listed extensions) comes off a name that has another extension or is a dotfile. */
function stripExtensions(strip: unknown, fileName: string): string {
  const parsed = path.parse(fileName);
  if (Array.isArray(strip) && !strip.map((ext) => `.${String(ext)}`).includes(parsed.ext))
    return fileName;
  return path.parse(parsed.name).ext !== '' || parsed.name.startsWith('.')
    ? path.join(parsed.dir, parsed.name)
    : fileName;
}

async function modify(files: ActionFiles, config: ActionConfig, data: Answers): Promise<string> {
  const target = files.destination(config, data);
  const current = files.read(target);
  if (current === null) throw new Error('File does not exist');
  const replacement = await files.template(
    { ...config, templateFile: renderedTemplatePath(files.plop, config, data) },
    data,
  );
  const { pattern } = config;
  const changed =
    typeof pattern === 'string' || pattern instanceof RegExp
      ? current.replace(pattern, replacement)
      : current;
  files.overwrite(target, await transformed(changed, config, data));
  return files.reported(target);
}

async function append(files: ActionFiles, config: ActionConfig, data: Answers): Promise<string> {
  const target = files.destination(config, data);
  const current = files.read(target);
  if (current === null) throw new Error('File does not exist');
  const addition = await files.template(
    { ...config, templateFile: renderedTemplatePath(files.plop, config, data) },
    data,
  );
  const separator = typeof config.separator === 'string' ? config.separator : '\n';
  const pattern = config.pattern as string | RegExp | undefined;
  let text = current;
  if (config.unique !== false) {
    // Like plop: earlier copies after the last match of the pattern go (the text is a RegExp source).
    const parts = text.split(pattern as string);
    const last = parts[parts.length - 1] ?? '';
    text = text.replace(last, last.replace(new RegExp(separator + addition, 'g'), ''));
  }
  if (
    pattern === undefined ||
    pattern === '' ||
    (pattern as unknown) === false ||
    (pattern as unknown) === null
  ) {
    files.overwrite(target, `${text}${text.length > 0 ? separator : ''}${addition}`);
  } else {
    files.overwrite(target, text.replace(pattern, `$&${separator}${addition}`));
  }
  return files.reported(target);
}

const isDirectory = (file: string): boolean => statOf(file)?.isDirectory() === true;
const isFile = (file: string): boolean => statOf(file)?.isFile() === true;

function statOf(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** A NUL byte in the first 8 KiB: the usual binary test (plop uses isbinaryfile). */
function isBinary(file: string): boolean {
  try {
    return readFileSync(file).subarray(0, 8192).includes(0);
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  return JSON.stringify(error);
}
