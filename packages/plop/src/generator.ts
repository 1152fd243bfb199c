/**
 * A plop generator as a `pnpm gen` generator: its prompts are the flags, its actions are staged
 * in the engine's tree, and its project is where plop would write (the plopfile's folder, or the
 * repository root for a turbo config), so dry run, conflicts, atomic apply and undo all apply.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineGenerator, type Generator } from '@svcgen/core';
import { kebabCase } from 'change-case';
import { stageActions } from './actions.js';
import type { Answers, PlopGenerator } from './api.js';
import { collectAnswers, flagsSchema, promptKey, promptList } from './answers.js';
import type { PlopSource } from './discover.js';

export function toGenerator(
  source: PlopSource,
  generator: PlopGenerator,
  command: string,
): Generator {
  const prompts = promptList(generator);
  const positionals = prompts.map((prompt) => promptKey(prompt.name));
  return defineGenerator({
    name: command,
    description: generator.description ?? '',
    source: source.file,
    options: flagsSchema(generator),
    positionals,
    formatByDefault: false,
    examples: [
      `pnpm gen ${command.includes(' ') ? JSON.stringify(command) : command}${prompts.map((prompt) => ` <${kebabCase(prompt.name)}>`).join('')}`,
    ],
    templatesDir: generator.basePath,
    project: () => source.root,
    answer: (flags, context) =>
      collectAnswers({
        generator,
        flags: Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined)),
        positionals: context.positionals,
        interactive: context.interactive,
        command,
      }),
    async generate(tree, answers, context) {
      // turbo gen hands its own paths to every generator, last, so no answer can shadow them.
      const data: Answers =
        source.kind === 'turbo'
          ? { ...answers, turbo: turboData(source, generator, context.startedIn) }
          : answers;
      const { deferred, report } = await stageActions(tree, generator, data, {
        force: context.force,
      });
      return { deferred, nextSteps: report.length === 0 ? [] : ['', ...report] };
    },
  });
}

/** What `turbo gen` adds to the answers as `turbo`: its paths and the root turbo.json. */
function turboData(source: PlopSource, generator: PlopGenerator, cwd: string): Answers {
  const turboJson = path.join(source.root, 'turbo.json');
  let config: unknown = {};
  try {
    config = JSON.parse(readFileSync(turboJson, 'utf8')) as unknown;
  } catch {
    // turbo.jsonc or a root found by its workspace: no config to hand over
  }
  return {
    paths: { cwd, root: source.root, workspace: nearestPackage(generator.basePath) },
    configs: [
      { config, turboConfigPath: turboJson, workspacePath: source.root, isRootConfig: true },
    ],
  };
}

function nearestPackage(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
