/**
 * inquirer, loaded when something is asked: listing generators or running one from flags asks
 * nothing, and inquirer with rxjs under it is most of what a plopfile would otherwise cost to load.
 */
import { createRequire } from 'node:module';
import type Inquirer from 'inquirer';

export type InquirerApi = typeof Inquirer;
type PromptModule = Parameters<InquirerApi['registerPrompt']>[1];

let loaded: InquirerApi | undefined;
// inquirer's prompt registry is global; so is this one until inquirer is loaded.
const pendingPromptTypes = new Map<string, PromptModule>();

/** plop.setPrompt: registered now if inquirer is loaded, else as soon as it is. */
export function registerPromptType(name: string, prompt: unknown): void {
  if (loaded === undefined) pendingPromptTypes.set(name, prompt as PromptModule);
  else loaded.registerPrompt(name, prompt as PromptModule);
}

/** For asking: loads inquirer (once) with every prompt type plopfiles registered. */
export async function loadInquirer(): Promise<InquirerApi> {
  return withPromptTypes((await import('inquirer')).default);
}

/** For `plop.inquirer`, which plopfiles read synchronously (Node 22.12+ requires ES modules). */
export function loadInquirerSync(): InquirerApi {
  const required = createRequire(import.meta.url)('inquirer') as { default: InquirerApi };
  return withPromptTypes(required.default);
}

function withPromptTypes(inquirer: InquirerApi): InquirerApi {
  if (loaded === undefined) {
    loaded = inquirer;
    for (const [name, prompt] of pendingPromptTypes) inquirer.registerPrompt(name, prompt);
    pendingPromptTypes.clear();
  }
  return loaded;
}
