/**
 * The object a plopfile's default export is called with: node-plop's plopfile API as plop 4
 * documents it, implemented on this engine. Generators, helpers, partials, action types and
 * prompt types are recorded; nothing here writes a file.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  camelCase,
  constantCase,
  dotCase,
  kebabCase,
  pascalCase,
  pathCase,
  sentenceCase,
  snakeCase,
} from 'change-case';
import type Handlebars from 'handlebars';
import { titleCase } from 'title-case';
import { loadInquirerSync, registerPromptType, type InquirerApi } from './inquirer.js';

export type Answers = Record<string, unknown>;

/** A prompt as plop passes it to inquirer; only what this engine reads is typed. */
export interface PlopPrompt {
  readonly type?: string;
  readonly name: string;
  readonly message?: unknown;
  readonly default?: unknown;
  readonly choices?: unknown;
  readonly when?: unknown;
  readonly filter?: (value: unknown, answers: Answers) => unknown;
  readonly validate?: (value: unknown, answers: Answers) => unknown;
  readonly bypass?: (value: string, prompt: PlopPrompt) => unknown;
}

/** One action of a generator: a config object (`type` names it) or a function. */
export type PlopAction =
  string | ((answers: Answers, config: ActionConfig, plop: PlopfileApi) => unknown) | ActionConfig;

export interface ActionConfig {
  readonly type?: string;
  readonly [option: string]: unknown;
}

export interface PlopGeneratorConfig {
  readonly description?: string;
  readonly prompts?: readonly PlopPrompt[] | ((inquirerApi: InquirerApi) => Promise<Answers>);
  readonly actions?: readonly PlopAction[] | ((answers: Answers) => readonly PlopAction[]);
}

export interface PlopGenerator extends PlopGeneratorConfig {
  readonly name: string;
  /** The plopfile's folder (node-plop's `basePath`). */
  readonly basePath: string;
  /** The API of the plopfile that defined it (another one's for `plop.load()`ed generators). */
  readonly plop: PlopfileApi;
}

export type CustomAction = (answers: Answers, config: ActionConfig, plop: PlopfileApi) => unknown;
type Helper = Handlebars.HelperDelegate;

/** What a plopfile may call (node-plop's plopfile API). */
export interface PlopfileApi {
  setGenerator(name: string, config?: PlopGeneratorConfig): PlopGenerator;
  getGenerator(name: string): PlopGenerator | undefined;
  getGeneratorList(): { name: string; description: string | undefined }[];
  setHelper(name: string, helper: Helper): void;
  getHelper(name: string): Helper | undefined;
  getHelperList(): string[];
  setPartial(name: string, partial: string): void;
  getPartial(name: string): string | undefined;
  getPartialList(): string[];
  setActionType(name: string, action: CustomAction): void;
  getActionType(name: string): CustomAction | undefined;
  getActionTypeList(): string[];
  setPrompt(name: string, prompt: unknown): void;
  setWelcomeMessage(message: string): void;
  getWelcomeMessage(): string | undefined;
  setDefaultInclude(include: unknown): void;
  getDefaultInclude(): unknown;
  setPlopfilePath(file: string): void;
  getPlopfilePath(): string;
  getDestBasePath(): string;
  renderString(template: string, data: unknown): string;
  load(targets: string | readonly string[], config?: unknown, include?: unknown): Promise<void>;
  readonly inquirer: InquirerApi;
  readonly handlebars: typeof Handlebars;
  addHelper(name: string, helper: Helper): void;
  addPartial(name: string, partial: string): void;
  addPrompt(name: string, prompt: unknown): void;
}

/** The case helpers plop bakes in, with the libraries node-plop uses, so output matches. */
const BAKED_IN_HELPERS: Record<string, Helper> = {
  camelCase: (text: string) => camelCase(text),
  snakeCase: (text: string) => snakeCase(text),
  dotCase: (text: string) => dotCase(text),
  pathCase: (text: string) => pathCase(text),
  lowerCase: (text: string) => text.toLowerCase(),
  upperCase: (text: string) => text.toUpperCase(),
  sentenceCase: (text: string) => sentenceCase(text),
  constantCase: (text: string) => constantCase(text),
  titleCase: (text: string) => titleCase(text),
  dashCase: (text: string) => kebabCase(text),
  kabobCase: (text: string) => kebabCase(text),
  kebabCase: (text: string) => kebabCase(text),
  properCase: (text: string) => pascalCase(text),
  pascalCase: (text: string) => pascalCase(text),
};

/**
 * `{{pkg "scripts.build"}}`: a value of the package.json beside the destination, "" when absent.
 * Like plop, only the first `[`/`]` pair of the path turns into a dot.
 */
function packageValue(pkg: unknown, propertyPath: string): unknown {
  let value = pkg;
  for (const key of propertyPath.replace('[', '.').replace(']', '').split('.')) {
    // Like plop's dlv: properties of strings and numbers count too (`name.length`).
    if (value === null || value === undefined) return '';
    value = (Object(value) as Record<string, unknown>)[key];
  }
  return value ?? '';
}

export interface PlopApiOptions {
  /** Where action paths resolve (plop's --dest; turbo gen: the repository root). */
  readonly destBasePath?: string;
  /** Loads another plopfile for `plop.load()`. */
  readonly loadPlopfile?: (file: string, api: PlopfileApi) => Promise<void>;
}

/** A fresh plopfile API for the plopfile (or folder) at `plopfilePath`. */
export function createPlopApi(plopfilePath: string, options: PlopApiOptions = {}): PlopfileApi {
  const generators = new Map<string, PlopGenerator>();
  const helpers = new Map<string, Helper>(Object.entries(BAKED_IN_HELPERS));
  const partials = new Map<string, string>();
  const actionTypes = new Map<string, CustomAction>();
  // Handlebars is needed to render, not to list generators: made on first use.
  let instance: typeof Handlebars | undefined;
  const handlebars = (): typeof Handlebars =>
    (instance ??= (createRequire(import.meta.url)('handlebars') as typeof Handlebars).create());
  let plopfileDir = folderOf(plopfilePath);
  let welcomeMessage: string | undefined;
  let defaultInclude: unknown = { generators: true };
  const destBasePath = () => options.destBasePath ?? plopfileDir;
  const pkg = readPackageJson(destBasePath());
  helpers.set('pkg', (propertyPath: string) => packageValue(pkg, propertyPath));
  const baseHelpers = new Set(helpers.keys());

  const api: PlopfileApi = {
    setGenerator(name, config = {}) {
      const key = name === '' ? `generator-${String(generators.size + 1)}` : name;
      // A generator brought in by plop.load() keeps its own plopfile's folder, helpers and partials.
      const loaded = config as Partial<PlopGenerator>;
      const generator: PlopGenerator = {
        ...config,
        name: key,
        basePath: loaded.basePath ?? plopfileDir,
        plop: loaded.plop ?? api,
      };
      generators.set(key, generator);
      return generator;
    },
    getGenerator: (name) => generators.get(name),
    getGeneratorList: () =>
      [...generators.values()].map(({ name, description }) => ({ name, description })),
    setHelper: (name, helper) => void helpers.set(name, helper),
    getHelper: (name) => helpers.get(name),
    getHelperList: () => [...helpers.keys()].filter((name) => !baseHelpers.has(name)),
    setPartial: (name, partial) => void partials.set(name, partial),
    getPartial: (name) => partials.get(name),
    getPartialList: () => [...partials.keys()],
    setActionType: (name, action) => void actionTypes.set(name, action),
    getActionType: (name) => actionTypes.get(name),
    getActionTypeList: () => [...actionTypes.keys()],
    setPrompt: (name, prompt) => {
      registerPromptType(name, prompt);
    },
    setWelcomeMessage: (message) => {
      welcomeMessage = message;
    },
    getWelcomeMessage: () => welcomeMessage,
    setDefaultInclude: (include) => {
      defaultInclude = include;
    },
    getDefaultInclude: () => defaultInclude,
    setPlopfilePath: (file) => {
      plopfileDir = folderOf(file);
    },
    getPlopfilePath: () => plopfileDir,
    getDestBasePath: destBasePath,
    renderString(template, data) {
      // Registered at render time, as plop does: a helper set after a generator still applies.
      const engine = handlebars();
      for (const [name, helper] of helpers) engine.registerHelper(name, helper);
      for (const [name, partial] of partials) engine.registerPartial(name, partial);
      return engine.compile(template)(data);
    },
    async load(targets, config, include) {
      const list = typeof targets === 'string' ? [targets] : targets;
      const given = (typeof config === 'object' && config !== null ? config : {}) as {
        destBasePath?: unknown;
      };
      for (const target of list) {
        const file = createRequire(path.join(plopfileDir, 'noop.js')).resolve(target);
        const other = createPlopApi(file, {
          destBasePath:
            typeof given.destBasePath === 'string' ? given.destBasePath : destBasePath(),
          ...(options.loadPlopfile === undefined ? {} : { loadPlopfile: options.loadPlopfile }),
        });
        if (options.loadPlopfile === undefined) throw new Error('plop.load() is not available');
        await options.loadPlopfile(file, other);
        includeFrom(api, other, include ?? other.getDefaultInclude());
      }
    },
    get inquirer() {
      return loadInquirerSync();
    },
    get handlebars() {
      return handlebars();
    },
    addHelper: (name, helper) => void helpers.set(name, helper),
    addPartial: (name, partial) => void partials.set(name, partial),
    addPrompt: (name, prompt) => {
      api.setPrompt(name, prompt);
    },
  };
  return api;
}

/** `plop.load()`'s include rule: `true`, a list of names, or a `{ generators, helpers, … }` map. */
function includeFrom(into: PlopfileApi, from: PlopfileApi, include: unknown): void {
  const all = include === true;
  const spec = (typeof include === 'object' && include !== null ? include : {}) as Record<
    string,
    unknown
  >;
  // true: all of them; a list: those; a map: those, renamed (`{ generators: { theirs: 'ours' } }`).
  const pick = (kind: string, names: string[], add: (name: string, as: string) => void) => {
    const rule = all ? true : spec[kind];
    const chosen: [string, string][] =
      rule === true
        ? names.map((name) => [name, name])
        : Array.isArray(rule)
          ? rule
              .filter((name): name is string => typeof name === 'string')
              .map((name) => [name, name])
          : typeof rule === 'object' && rule !== null
            ? Object.entries(rule).map(([name, as]) => [name, String(as)])
            : [];
    for (const [name, as] of chosen) add(name, as);
  };
  pick(
    'generators',
    from.getGeneratorList().map((entry) => entry.name),
    (name, as) => {
      const generator = from.getGenerator(name);
      if (generator !== undefined) into.setGenerator(as, generator);
    },
  );
  pick('helpers', from.getHelperList(), (name, as) => {
    const helper = from.getHelper(name);
    if (helper !== undefined) into.setHelper(as, helper);
  });
  pick('partials', from.getPartialList(), (name, as) => {
    const partial = from.getPartial(name);
    if (partial !== undefined) into.setPartial(as, partial);
  });
  pick('actionTypes', from.getActionTypeList(), (name, as) => {
    const action = from.getActionType(name);
    if (action !== undefined) into.setActionType(as, action);
  });
}

function folderOf(file: string): string {
  const absolute = path.resolve(file);
  try {
    return statSync(absolute).isFile() ? path.dirname(absolute) : absolute;
  } catch {
    return path.dirname(absolute);
  }
}

function readPackageJson(dir: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as unknown;
  } catch {
    return {};
  }
}
