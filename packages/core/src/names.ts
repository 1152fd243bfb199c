import pluralize from 'pluralize';
import { UsageError } from './errors.js';

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const MAX_NAME_LENGTH = 64;

/** ECMAScript and TypeScript reserved and contextual words a generated identifier must not be. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  'abstract',
  'any',
  'arguments',
  'as',
  'async',
  'await',
  'boolean',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'constructor',
  'continue',
  'debugger',
  'declare',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'eval',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'from',
  'function',
  'get',
  'if',
  'implements',
  'import',
  'in',
  'infer',
  'instanceof',
  'interface',
  'is',
  'keyof',
  'let',
  'module',
  'namespace',
  'never',
  'new',
  'null',
  'number',
  'object',
  'of',
  'package',
  'private',
  'protected',
  'public',
  'readonly',
  'require',
  'return',
  'set',
  'static',
  'string',
  'super',
  'switch',
  'symbol',
  'this',
  'throw',
  'true',
  'try',
  'type',
  'typeof',
  'undefined',
  'unique',
  'unknown',
  'var',
  'void',
  'while',
  'with',
  'yield',
]);

/** Names that collide with object built-ins or with folders and files tools treat specially. */
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  'prototype',
  '__proto__',
  'hasownproperty',
  'tostring',
  'valueof',
  'node_modules',
  'favicon.ico',
]);

export interface Names {
  /** The name as the user typed it. */
  readonly raw: string;
  readonly camel: string;
  readonly pascal: string;
  readonly kebab: string;
  readonly snake: string;
  readonly constant: string;
}

export interface ResourceNames {
  readonly singular: Names;
  readonly plural: Names;
}

/**
 * Rejects a user-given name unless it is a safe identifier. The raw input is checked as is:
 * nothing is stripped or transliterated, so what the user typed is what the message talks about.
 */
export function validateName(raw: string, what = 'name'): void {
  const allowed = `a ${what} starts with a letter and contains only letters, digits, "-" and "_" (at most ${MAX_NAME_LENGTH} characters)`;
  if (raw.length === 0) throw new UsageError(`the ${what} is empty: ${allowed}`);
  if (raw.length > MAX_NAME_LENGTH) {
    throw new UsageError(
      `the ${what} "${raw.slice(0, 20)}…" is ${raw.length} characters long: ${allowed}`,
    );
  }
  if (!NAME_PATTERN.test(raw))
    throw new UsageError(`the ${what} ${JSON.stringify(raw)} is not allowed: ${allowed}`);
  const words = splitWords(raw);
  if (words.length === 0)
    throw new UsageError(
      `the ${what} ${JSON.stringify(raw)} has no letters to build names from: ${allowed}`,
    );
  assertNotReserved(raw, what, [raw.toLowerCase(), toCamel(words)]);
}

function assertNotReserved(raw: string, what: string, candidates: readonly string[]): void {
  for (const candidate of candidates) {
    if (RESERVED_WORDS.has(candidate) || RESERVED_NAMES.has(candidate.toLowerCase())) {
      throw new UsageError(
        `the ${what} ${JSON.stringify(raw)} is reserved (it would produce the identifier or folder "${candidate}"); choose another ${what}`,
      );
    }
  }
}

/** Splits "billingService", "billing-service", "BILLING_SERVICE" into ["billing", "service"]. */
export function splitWords(input: string): string[] {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

function toCamel(words: readonly string[]): string {
  return words.map((word, index) => (index === 0 ? word : capitalize(word))).join('');
}

function fromWords(raw: string, words: readonly string[]): Names {
  return {
    raw,
    camel: toCamel(words),
    pascal: words.map(capitalize).join(''),
    kebab: words.join('-'),
    snake: words.join('_'),
    constant: words.join('_').toUpperCase(),
  };
}

/** All casings of a name, words taken as typed (no singular/plural change). */
export function names(raw: string): Names {
  validateName(raw);
  return fromWords(raw, splitWords(raw));
}

function singularize(word: string): string {
  return pluralize.singular(word);
}

function pluralizeWord(word: string): string {
  return pluralize.plural(word);
}

/**
 * Singular and plural casings of a resource name typed either way: "category", "categories",
 * "Person", "people", "news" (uncountable: singular and plural are the same word).
 * Only the last word changes number: "order-item" -> "order-items".
 */
export function resourceNames(raw: string): ResourceNames {
  validateName(raw, 'resource name');
  const words = splitWords(raw);
  const head = words.slice(0, -1);
  const last = words.at(-1) ?? '';
  const result = {
    singular: fromWords(raw, [...head, singularize(last)]),
    plural: fromWords(raw, [...head, pluralizeWord(singularize(last))]),
  };
  assertNotReserved(raw, 'resource name', [result.singular.camel, result.plural.camel]);
  return result;
}
