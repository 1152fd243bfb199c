import path from 'node:path';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { formatStagedFiles } from '../src/format.js';
import { Tree } from '../src/tree.js';
import { tempProject } from './helpers.js';

const CONFIG = { printWidth: 100, singleQuote: true, trailingComma: 'all' } as const;

/** TypeScript that Babel and TypeScript's own parser could read differently, unformatted. */
const TRICKY = `import type {A} from './a.js'
import {type B, c} from "./b.js"
declare module 'http' { interface IncomingMessage { id: string } }
export enum Color { Red = 'red', Green = "green" }
export const enum Flag { On = 1 }
export abstract class Base<T extends object = {}> implements B {
  private readonly items = new Map<string, T>()
  protected abstract make(): T
  static of<U extends object>(this: new () => Base<U>): Base<U> { return new this() }
  accessor size = 0
  constructor(public name: string, private other?: string) { super() }
}
export function over(a: string): string
export function over(a: number): number
export function over(a: unknown) { return a }
type Keys<T> = { [K in keyof T as \`get\${Capitalize<string & K>}\`]-?: () => T[K] }
export const routes = { a: 1, 'b-c': 2 } as const satisfies Record<string, number>
const value = (input as unknown as {x?: {y: number}})?.x!.y ?? 0
const generic = <T,>(x: T): T => x
export default async function* stream(): AsyncGenerator<number, void, unknown> { yield* [1,2] }
let tuple: [first: string, second?: number, ...rest: boolean[]] = ['a']
function assertIsString(v: unknown): asserts v is string { if (typeof v !== 'string') throw new Error('no') }
`;

describe('formatStagedFiles', () => {
  it.each([
    ["a user's file (Prettier's default parser)", () => false],
    ['our own template output (Babel parses it)', () => true],
  ])('formats TypeScript as `prettier --check` expects: %s', async (_, ours) => {
    const root = await tempProject({ '.prettierrc.json': JSON.stringify(CONFIG) });
    const tree = new Tree(root);
    const files = ['src/tricky.ts', 'src/tricky.mts', 'src/tricky.cts'];
    for (const file of files) tree.create(file, TRICKY);

    await formatStagedFiles(tree, tree.touchedPaths(), ours);

    for (const file of files) {
      const expected = await format(TRICKY, { ...CONFIG, filepath: path.join(root, file) });
      expect(expected).not.toBe(TRICKY);
      expect(tree.read(file), file).toBe(expected);
    }
  });

  it("reports a file neither parser reads with Prettier's TypeScript error", async () => {
    const root = await tempProject({ '.prettierrc.json': JSON.stringify(CONFIG) });
    const tree = new Tree(root);
    tree.create('src/broken.ts', 'export const = 1;\n');

    const typescriptError = await format('export const = 1;\n', { parser: 'typescript' }).catch(
      (error: unknown) => (error as Error).message,
    );
    await expect(formatStagedFiles(tree, tree.touchedPaths(), () => true)).rejects.toThrow(
      typescriptError,
    );
  });
});
