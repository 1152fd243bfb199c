import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Handlebars from 'handlebars';
import { GenError } from './errors.js';
import type { Tree, WriteOptions } from './tree.js';

export type TemplateVars = Record<string, unknown>;

/** Where a project keeps its own copies of a generator's templates: `<project>/.gen/templates/<generator>/`. */
export const OVERRIDES_DIR = '.gen/templates';

export interface TemplateRendererOptions {
  /**
   * A project's own copies of these templates (`gen eject`), same relative paths: where a file
   * exists there it is rendered instead of the built-in one.
   */
  readonly overridesRoot?: string;
}

/**
 * Renders a generator's Handlebars templates, strict and unescaped, each compiled once. Templates
 * stay dumb: they get values already normalized and validated in TypeScript and only place them
 * and branch on flags, so there are no helpers or partials to register.
 */
export class TemplateRenderer {
  // Required here, not imported: `--list` and `--help` load this module and render nothing.
  private readonly handlebars = (
    createRequire(import.meta.url)('handlebars') as typeof Handlebars
  ).create();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();
  /** Output path → the override template it was rendered from (for the plan). */
  readonly overridden = new Map<string, string>();
  /** Output path → the text rendered for it from a built-in template (not a project's copy). */
  readonly rendered = new Map<string, string>();

  constructor(
    readonly templatesRoot: string,
    private readonly options: TemplateRendererOptions = {},
  ) {}

  /** The project's copy of a template, when it has one (absolute path), else undefined. */
  overrideOf(templatePath: string): string | undefined {
    if (this.options.overridesRoot === undefined) return undefined;
    const file = path.join(this.options.overridesRoot, templatePath);
    return existsSync(file) ? file : undefined;
  }

  /** Renders one template file (path relative to the templates root), the project's copy first. */
  render(templatePath: string, vars: TemplateVars): string {
    const override = this.overrideOf(templatePath);
    const file = override ?? path.join(this.templatesRoot, templatePath);
    let template = this.cache.get(file);
    if (template === undefined) {
      template = this.handlebars.compile(readFileSync(file, 'utf8'), {
        noEscape: true,
        strict: true,
      });
      this.cache.set(file, template);
    }
    try {
      return template(vars);
    } catch (error) {
      const message = (error as Error).message;
      // The user's own template: name the file (and Handlebars' line) so they can fix it.
      if (override !== undefined)
        throw new GenError(`template ${override}: ${message}`, { cause: error });
      throw new Error(`template ${templatePath}: ${message}`, { cause: error });
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
      const templatePath = path.join(sourceDir, file);
      const content = this.render(templatePath, vars);
      const override = this.overrideOf(templatePath);
      if (override !== undefined) this.overridden.set(tree.relative(target), override);
      else this.rendered.set(tree.relative(target), content);
      tree.create(target, content, options);
      written.push(target);
    }
    return written;
  }
}

/** Every file under `dir`, paths relative to it (platform separators), sorted; none if it is missing. */
export function listFiles(dir: string): string[] {
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
