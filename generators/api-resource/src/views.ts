import type { FieldSpec } from '@svcgen/core';
import { names, resourceNames } from '@svcgen/core';
import { DECIMAL_PRECISION, DECIMAL_SCALE, EMAIL_MAX, URL_MAX, relationName } from './model.js';

/**
 * Everything the templates need about one field, computed here so templates stay dumb: zod
 * expressions, the response mapping, sample and invalid values for the generated tests.
 * Every string is a TypeScript expression built only from validated identifiers and numbers.
 */
export interface FieldView {
  name: string;
  type: FieldSpec['type'];
  optional: boolean;
  required: boolean;
  unique: boolean;
  hasDefault: boolean;
  /** Validation of the value in a create body (without optional/nullable). */
  zodInput: string;
  /** The same value in a response body (without nullable). */
  zodOutput: string;
  /** Expression mapping `record.<name>` (non-null) to its JSON form. */
  toJson: string;
  /** The same, null-safe for optional fields. */
  toJsonNullable: string;
  /** `item.<name>` of a created item as a query-string value. */
  queryValue: string;
  isJson: boolean;
  isRef: boolean;
  isFilter: boolean;
  /** zod for the list filter `?<name>=`. */
  zodFilter: string;
  /** TypeScript expression of a valid value, given a number `n` that makes it unique. */
  sample: string;
  /** Values the API must reject with the path of this field. */
  invalid: { value: string; why: string }[];
  ref?: {
    model: string;
    relation: string;
    camel: string;
    kebab: string;
    pluralKebab: string;
    /** `order item`: the referenced record in a sentence. */
    title: string;
    /** Its test factory takes the id of the user to create it for (set by the generator). */
    takesOwner?: boolean;
    /** Its records belong to their creators (set by the generator). */
    ownedTarget?: boolean;
    /**
     * Both sides are owned: a record may name only records of its own owner, even when an admin
     * writes it, so no record links two users' data (set by the generator).
     */
    sameOwner?: boolean;
  };
}

const quote = (value: string): string => `'${value}'`;

function lengthChecks(field: FieldSpec, base: string, max?: number): string {
  let expr = base;
  if (field.min !== undefined) expr += `.min(${field.min})`;
  const limit = field.max ?? max;
  if (limit !== undefined) expr += `.max(${limit})`;
  return expr;
}

function numberChecks(field: FieldSpec, base: string): string {
  let expr = base;
  if (field.min !== undefined) expr += `.min(${field.min})`;
  if (field.max !== undefined) expr += `.max(${field.max})`;
  return expr;
}

/** A string of `length` characters that is unique per `n` (when length allows). */
function sampleText(field: FieldSpec, fallbackMax = 40): string {
  const max = field.max ?? fallbackMax;
  const min = field.min ?? 1;
  const length = Math.max(min, Math.min(max, 12));
  return `samples.sampleText(${quote(field.name)}, n, ${length})`;
}

/** One value just below `min` and one just above `max` (as JSON numbers or, for string-typed numbers, strings). */
function outOfBounds(field: FieldSpec, asString: boolean): FieldView['invalid'] {
  const literal = (value: number) => (asString ? quote(String(value)) : String(value));
  return [
    ...(field.min === undefined
      ? []
      : [{ value: literal(field.min - 1), why: `below ${field.min}` }]),
    ...(field.max === undefined
      ? []
      : [{ value: literal(field.max + 1), why: `above ${field.max}` }]),
  ];
}

/**
 * A TypeScript expression (in `n`) for a number inside the field's bounds. `offset` keeps samples
 * off the bounds; unique fields step with `n` (wrapping inside the bounds), others are constant.
 */
function numericSample(
  field: FieldSpec,
  offset: number,
  unique: boolean,
  wrap: (value: string) => string,
): string {
  const low = field.min ?? 0;
  // Without a max, keep inside 32-bit integers (Int columns) with a wide span for uniqueness.
  const high = field.max ?? Math.min(low + 2_000_000_000, 2_147_483_647);
  const base = Math.min(low + offset, high);
  if (!unique) return wrap(String(base));
  const span = Math.max(1, Math.floor(high - base) + 1);
  return wrap(`${base} + (n % ${span})`);
}

export function fieldView(field: FieldSpec): FieldView {
  const view: FieldView = {
    name: field.name,
    type: field.type,
    optional: field.optional,
    required: !field.optional && field.default === undefined,
    unique: field.unique,
    hasDefault: field.default !== undefined,
    zodInput: '',
    zodOutput: '',
    toJson: `record.${field.name}`,
    toJsonNullable: '',
    queryValue:
      field.type === 'boolean' || field.optional
        ? `String(item.${field.name})`
        : `item.${field.name}`,
    isJson: field.type === 'json',
    isRef: field.type === 'ref',
    isFilter: field.type === 'enum' || field.type === 'boolean' || field.type === 'ref',
    zodFilter: '',
    sample: '',
    invalid: [],
  };
  const tooLong = (max: number) => ({ value: `'x'.repeat(${max + 1})`, why: `longer than ${max}` });
  switch (field.type) {
    case 'string':
    case 'text': {
      view.zodInput = lengthChecks(
        field,
        field.min === undefined ? 'z.string().min(1)' : 'z.string()',
      );
      view.zodOutput = 'z.string()';
      view.sample = sampleText(field, field.type === 'text' ? 60 : 40);
      if (field.max !== undefined) view.invalid.push(tooLong(field.max));
      if (field.min !== undefined && field.min > 0) {
        view.invalid.push({
          value: `'x'.repeat(${field.min - 1})`,
          why: `shorter than ${field.min}`,
        });
      } else {
        view.invalid.push({ value: "''", why: 'empty' });
      }
      view.invalid.push({ value: '42', why: 'not a string' });
      break;
    }
    case 'email':
      view.zodInput = lengthChecks(field, 'z.email()', EMAIL_MAX);
      view.zodOutput = 'z.email()';
      view.sample = '`user-${samples.pad(n)}@example.com`';
      view.invalid.push({ value: "'not-an-email'", why: 'not an email address' });
      break;
    case 'url':
      view.zodInput = lengthChecks(field, 'z.url({ protocol: /^https?$/ })', URL_MAX);
      view.zodOutput = 'z.string()';
      view.sample = `\`https://example.com/${field.name}/\${samples.pad(n)}\``;
      view.invalid.push({ value: "'javascript:alert(1)'", why: 'not an http(s) URL' });
      view.invalid.push({ value: "'not a url'", why: 'not a URL' });
      break;
    case 'uuid':
      view.zodInput = 'z.uuid()';
      view.zodOutput = 'z.uuid()';
      view.sample = 'samples.sampleUuid(n)';
      view.invalid.push({ value: "'not-a-uuid'", why: 'not a UUID' });
      break;
    case 'int': {
      view.zodInput = numberChecks(field, 'z.int()');
      view.zodOutput = 'z.int()';
      view.sample = numericSample(field, 1, field.unique, (value) => value);
      view.invalid.push(...outOfBounds(field, false));
      view.invalid.push({ value: '1.5', why: 'not an integer' });
      view.invalid.push({ value: "'7'", why: 'a string' });
      break;
    }
    case 'float':
      view.zodInput = numberChecks(field, 'z.number()');
      view.zodOutput = 'z.number()';
      view.sample = numericSample(field, 0.5, false, (value) => value);
      view.invalid.push(...outOfBounds(field, false));
      view.invalid.push({ value: "'1.5'", why: 'a string' });
      break;
    case 'bigint': {
      const bounds = [
        field.min === undefined ? '' : `min: ${field.min}n`,
        field.max === undefined ? '' : `max: ${field.max}n`,
      ].filter((part) => part !== '');
      view.zodInput = `bigIntInput({ ${bounds.join(', ')} })`;
      view.zodOutput =
        "z.string().regex(/^-?\\d+$/).meta({ description: 'A 64-bit integer as a string' })";
      view.toJson = `record.${field.name}.toString()`;
      view.sample = numericSample(field, 1, field.unique, (value) => `String(${value})`);
      view.invalid.push(...outOfBounds(field, true));
      view.invalid.push({ value: "'12abc'", why: 'not an integer' });
      break;
    }
    case 'decimal': {
      const bounds = [
        field.min === undefined ? '' : `, min: '${field.min}'`,
        field.max === undefined ? '' : `, max: '${field.max}'`,
      ].join('');
      view.zodInput = `decimalInput({ scale: ${DECIMAL_SCALE}, integerDigits: ${DECIMAL_PRECISION - DECIMAL_SCALE}${bounds} })`;
      view.zodOutput =
        "z.string().regex(/^-?\\d+(\\.\\d+)?$/).meta({ description: 'A decimal as a string', example: '19.99' })";
      view.toJson = `record.${field.name}.toString()`;
      // x.25 prints the same in the request and in the response (no trailing zero to drop).
      view.sample = numericSample(field, 0.25, field.unique, (value) => `(${value}).toFixed(2)`);
      view.invalid.push(...outOfBounds(field, true));
      view.invalid.push({ value: "'1.23456'", why: `more than ${DECIMAL_SCALE} decimals` });
      view.invalid.push({ value: "'abc'", why: 'not a decimal' });
      break;
    }
    case 'boolean':
      view.zodInput = 'z.boolean()';
      view.zodOutput = 'z.boolean()';
      view.zodFilter = "z.enum(['true', 'false']).transform((value) => value === 'true')";
      view.sample = 'true';
      view.invalid.push({ value: "'yes'", why: 'not a boolean' });
      break;
    case 'datetime':
      view.zodInput = 'z.iso.datetime({ offset: true }).transform((value) => new Date(value))';
      view.zodOutput = 'z.iso.datetime()';
      view.toJson = `record.${field.name}.toISOString()`;
      view.sample = 'new Date(Date.UTC(2026, 0, 1) + (n % 1_000_000_000) * 1000).toISOString()';
      view.invalid.push({ value: "'2026-13-01T00:00:00Z'", why: 'not a date-time' });
      view.invalid.push({ value: "'yesterday'", why: 'not a date-time' });
      break;
    case 'date':
      view.zodInput = 'z.iso.date().transform((value) => new Date(`${value}T00:00:00.000Z`))';
      view.zodOutput = 'z.iso.date()';
      view.toJson = `record.${field.name}.toISOString().slice(0, 10)`;
      view.sample = 'new Date(Date.UTC(2000, 0, 1 + (n % 36_500))).toISOString().slice(0, 10)';
      view.invalid.push({ value: "'2026-02-30'", why: 'not a calendar date' });
      view.invalid.push({ value: "'01/02/2026'", why: 'not an ISO date' });
      break;
    case 'json':
      view.zodInput = 'jsonValue';
      view.zodOutput = 'jsonValue';
      view.sample = `{ sample: n, tags: ['a', 'b'] }`;
      view.invalid.push(
        {
          value: "JSON.parse('['.repeat(33) + ']'.repeat(33)) as unknown",
          why: 'nested 33 levels deep',
        },
        { value: 'Array.from({ length: 10_000 }, () => 0)', why: 'with more than 10,000 values' },
      );
      break;
    case 'enum': {
      const values = field.enumValues ?? [];
      view.zodInput = `z.enum([${values.map(quote).join(', ')}])`;
      view.zodOutput = view.zodInput;
      view.zodFilter = view.zodInput;
      view.sample = quote(values.at(-1) ?? '');
      view.invalid.push({ value: "'not-a-value'", why: `not one of ${values.join(', ')}` });
      break;
    }
    case 'ref': {
      const target = field.ref ?? '';
      const targetNames = names(target);
      const targetPlural = resourceNames(target).plural;
      view.ref = {
        model: target,
        relation: relationName(field),
        camel: targetNames.camel,
        kebab: targetNames.kebab,
        pluralKebab: targetPlural.kebab,
        title: targetNames.kebab.replace(/-/g, ' '),
      };
      view.zodInput = 'z.uuid()';
      view.zodOutput = 'z.uuid()';
      view.zodFilter = 'z.uuid()';
      view.sample = `refs.${field.name}`;
      view.invalid.push({ value: "'not-a-uuid'", why: 'not a UUID' });
      break;
    }
  }
  const identity = view.toJson === `record.${field.name}`;
  view.toJsonNullable =
    !field.optional || identity
      ? view.toJson
      : `record.${field.name} === null ? null : ${view.toJson}`;
  return view;
}
