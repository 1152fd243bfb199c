import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { defineGenerator, type Generator } from './generator.js';
import { listFiles, OVERRIDES_DIR } from './render.js';
import { locateService } from './service.js';

export const ejectOptions = z.object({
  generator: z.string().describe('The built-in generator whose templates to copy'),
  service: z
    .string()
    .optional()
    .describe('The service whose later runs use the copies: its name or path (default: --cwd)'),
  file: z
    .string()
    .optional()
    .describe("One template, relative to the generator's templates (default: all of them)"),
});

/**
 * `gen eject <generator>`: copies that generator's templates (all, or one) into
 * `<project>/.gen/templates/<generator>/` with the same relative paths. Later runs of the generator
 * for that project render the project's copy where one exists (TemplateRenderer's overrides) and
 * the built-in one elsewhere; deleting a copy restores the built-in output.
 */
export function ejectGenerator(target: Generator): Generator<typeof ejectOptions> {
  return defineGenerator({
    name: 'eject',
    description: `Copy the ${target.name} templates into the project (${OVERRIDES_DIR}/${target.name}/) so its runs use your versions`,
    positional: 'generator',
    options: ejectOptions,
    // Templates are copied byte for byte: Prettier would rewrite the Handlebars.
    formatByDefault: false,
    examples: [`pnpm gen eject ${target.name} --service shop --file <template path>`],
    templatesDir: target.templatesDir,
    project: (options, cwd) =>
      options.service === undefined ? cwd : locateService(cwd, options.service),
    generate(tree, options, context) {
      const all = listFiles(target.templatesDir).map((file) => file.split(path.sep).join('/'));
      const wanted = options.file?.replace(/\\/g, '/').replace(/^\.\//, '');
      if (wanted !== undefined && !all.includes(wanted)) {
        const near = all.filter((file) => file.endsWith(path.posix.basename(wanted))).slice(0, 3);
        throw new UsageError(
          `--file ${options.file ?? ''}: ${target.name} has no such template${near.length > 0 ? `; did you mean ${near.join(', ')}?` : `; they live in ${target.templatesDir}`}`,
        );
      }
      const dir = path.posix.join(context.projectDir, OVERRIDES_DIR, target.name);
      for (const file of wanted === undefined ? all : [wanted]) {
        // An existing copy you edited is a conflict (exit 1) unless --force; the same bytes a no-op.
        tree.create(
          path.posix.join(dir, file),
          readFileSync(path.join(target.templatesDir, file), 'utf8'),
          { force: context.force },
        );
      }
      return Promise.resolve({
        nextSteps: [
          '',
          `Edit them in ${context.pathForUser(dir)}: later runs of "pnpm gen ${target.name}" here render your copy`,
          'where one exists and the built-in template elsewhere; delete a copy to go back to the built-in one.',
        ],
      });
    },
  });
}
