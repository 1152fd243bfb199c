import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Tree, WriteOptions } from './tree.js';

export type TemplateVars = Record<string, unknown>;

const PARTIALS_DIR = '_partials';

/**
 * One Handlebars instance per template root, helpers and partials registered once.
 * Templates stay dumb: they get values already normalized and validated in TypeScript, so the only
 * helpers are for equality and for emitting a value as a JSON/TypeScript string literal.
 */
export class TemplateRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();

  constructor(readonly templatesRoot: string) {
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));
    const partialsDir = path.join(templatesRoot, PARTIALS_DIR);
    for (const file of listFiles(partialsDir)) {
      const name = file
        .replace(/\.hbs$/, '')
        .split(path.sep)
        .join('/');
      this.handlebars.registerPartial(name, readFileSync(path.join(partialsDir, file), 'utf8'));
    }
  }

  /** Renders one template file (path relative to the templates root). */
  render(templatePath: string, vars: TemplateVars): string {
    let template = this.cache.get(templatePath);
    if (template === undefined) {
      const source = readFileSync(path.join(this.templatesRoot, templatePath), 'utf8');
      template = this.handlebars.compile(source, { noEscape: true, strict: true });
      this.cache.set(templatePath, template);
    }
    try {
      return template(vars);
    } catch (error) {
      throw new Error(`template ${templatePath}: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * Renders every `*.hbs` file under `sourceDir` (relative to the templates root) into `targetDir`
   * of the tree. Output paths mirror the template paths; `__key__` segments are replaced by
   * `pathVars[key]`, and the `.hbs` extension is dropped. Targets for which `keep` says true are
   * left as they are.
   */
  renderDir(
    tree: Tree,
    sourceDir: string,
    targetDir: string,
    vars: TemplateVars,
    pathVars: Record<string, string> = {},
    options: WriteOptions & { readonly keep?: (target: string) => boolean } = {},
  ): string[] {
    const written: string[] = [];
    for (const file of listFiles(path.join(this.templatesRoot, sourceDir))) {
      if (!file.endsWith('.hbs')) continue;
      const relative = file
        .slice(0, -'.hbs'.length)
        .split(path.sep)
        .map((segment) =>
          segment.replace(/__([a-zA-Z]+)__/g, (match, key: string) => pathVars[key] ?? match),
        )
        .join('/');
      const target = path.posix.join(targetDir, relative);
      if (options.keep?.(target) === true) continue;
      const content = this.render(path.join(sourceDir, file), vars);
      tree.create(target, content, options);
      written.push(target);
    }
    return written;
  }
}

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
