import { z } from 'zod';
import { UsageError } from './errors.js';
import { RESERVED_WORDS } from './names.js';

export const FIELD_TYPES = [
  'string',
  'text',
  'int',
  'bigint',
  'float',
  'decimal',
  'boolean',
  'datetime',
  'date',
  'uuid',
  'email',
  'url',
  'json',
  'enum',
  'ref',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Fields every model gets; a spec may not declare them. */
export const GENERATED_FIELDS: readonly string[] = ['id', 'createdAt', 'updatedAt'];

const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;
const MODEL_NAME = /^[A-Z][A-Za-z0-9]*$/;
const ENUM_VALUE = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_IDENTIFIER = 64;
const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** Fields named like Object.prototype members would shadow them in generated objects. */
const RESERVED_FIELD_NAMES = new Set([
  'constructor',
  'prototype',
  '__proto__',
  'hasOwnProperty',
  'toString',
  'valueOf',
]);

const fieldSchema = z.object({
  name: z.string().regex(IDENTIFIER).max(MAX_IDENTIFIER),
  type: z.enum(FIELD_TYPES),
  optional: z.boolean(),
  unique: z.boolean(),
  min: z.number().optional(),
  max: z.number().optional(),
  /** Default as a typed value: string for string-like types and decimals, number, boolean. */
  default: z.union([z.string(), z.number(), z.boolean()]).optional(),
  enumValues: z.array(z.string().regex(ENUM_VALUE)).optional(),
  ref: z.string().regex(MODEL_NAME).optional(),
});

export type FieldSpec = z.infer<typeof fieldSchema>;

const LENGTH_TYPES: ReadonlySet<FieldType> = new Set(['string', 'text', 'email', 'url']);
const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set(['int', 'bigint', 'float', 'decimal']);
const UNIQUE_TYPES: ReadonlySet<FieldType> = new Set([
  'string',
  'text',
  'int',
  'bigint',
  'decimal',
  'uuid',
  'email',
  'url',
  'date',
  'datetime',
  'ref',
]);
/** Types whose default can be written in the spec (others have no safe literal form). */
const DEFAULTABLE: ReadonlySet<FieldType> = new Set([
  'string',
  'text',
  'int',
  'bigint',
  'float',
  'decimal',
  'boolean',
  'enum',
  'email',
  'url',
]);

function fail(token: string, index: number, problem: string): never {
  throw new UsageError(
    `invalid field spec at field ${index + 1} ${JSON.stringify(token)}: ${problem}`,
  );
}

/**
 * Parses a field spec such as
 * `title:string:max=200 price:decimal:min=0 status:enum(draft|live):default=draft categoryId:ref(Category) notes:text?`
 * into validated fields. Every value that can reach generated code is checked here against a
 * strict pattern, so templates only ever receive identifiers, numbers and plain strings.
 */
export function parseFieldSpec(spec: string): FieldSpec[] {
  const tokens = spec
    .trim()
    .split(/\s+/)
    .filter((token) => token.length > 0);
  if (tokens.length === 0)
    throw new UsageError('the field spec is empty: give at least one field, e.g. "title:string"');
  const fields: FieldSpec[] = [];
  const seen = new Set<string>();
  for (const [index, token] of tokens.entries()) {
    const field = parseField(token, index);
    if (seen.has(field.name.toLowerCase()))
      fail(token, index, `the field "${field.name}" is declared twice`);
    seen.add(field.name.toLowerCase());
    fields.push(field);
  }
  return fields;
}

function parseField(token: string, index: number): FieldSpec {
  const parts = token.split(':');
  const [rawName = '', rawType = '', ...modifiers] = parts;
  const name = rawName.endsWith('?') ? rawName.slice(0, -1) : rawName;
  let optional = rawName.endsWith('?');
  if (rawType === '') fail(token, index, 'expected name:type, e.g. "title:string"');
  if (!IDENTIFIER.test(name) || name.length > MAX_IDENTIFIER) {
    fail(
      token,
      index,
      `the field name ${JSON.stringify(name)} must be camelCase: a lowercase letter, then letters and digits (at most ${MAX_IDENTIFIER})`,
    );
  }
  if (GENERATED_FIELDS.includes(name))
    fail(token, index, `"${name}" is generated for every model; remove it from the spec`);
  if (RESERVED_WORDS.has(name) || RESERVED_FIELD_NAMES.has(name))
    fail(token, index, `"${name}" is a reserved word; choose another field name`);

  let typeText = rawType;
  if (typeText.endsWith('?')) {
    optional = true;
    typeText = typeText.slice(0, -1);
  }
  const field: FieldSpec = { name, type: 'string', optional, unique: false };

  const enumMatch = /^enum\((.*)\)$/.exec(typeText);
  const refMatch = /^ref\((.*)\)$/.exec(typeText);
  if (enumMatch) {
    const values = (enumMatch[1] ?? '').split('|');
    for (const value of values) {
      if (!ENUM_VALUE.test(value) || value.length > MAX_IDENTIFIER) {
        fail(
          token,
          index,
          `the enum value ${JSON.stringify(value)} must start with a letter and contain only letters, digits and "_"`,
        );
      }
    }
    if (new Set(values).size !== values.length) fail(token, index, 'an enum value is listed twice');
    field.type = 'enum';
    field.enumValues = values;
  } else if (refMatch) {
    const model = refMatch[1] ?? '';
    if (!MODEL_NAME.test(model) || model.length > MAX_IDENTIFIER) {
      fail(
        token,
        index,
        `the referenced model ${JSON.stringify(model)} must be PascalCase, e.g. ref(Category)`,
      );
    }
    if (!name.endsWith('Id') || name.length < 3)
      fail(
        token,
        index,
        `a ref field is named after its relation plus "Id", e.g. "${name}Id:ref(${model})"`,
      );
    field.type = 'ref';
    field.ref = model;
  } else if (
    (FIELD_TYPES as readonly string[]).includes(typeText) &&
    typeText !== 'enum' &&
    typeText !== 'ref'
  ) {
    field.type = typeText as FieldType;
  } else {
    fail(
      token,
      index,
      `unknown type ${JSON.stringify(typeText)}; known types: ${FIELD_TYPES.filter((t) => t !== 'enum' && t !== 'ref').join(', ')}, enum(a|b), ref(Model)`,
    );
  }

  for (const modifier of modifiers) applyModifier(field, modifier, token, index);

  if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
    fail(token, index, `min=${field.min} is greater than max=${field.max}`);
  }
  if (field.default !== undefined && typeof field.default === 'number') {
    if (
      (field.min !== undefined && field.default < field.min) ||
      (field.max !== undefined && field.default > field.max)
    ) {
      fail(token, index, `default=${field.default} is outside min/max`);
    }
  }
  if (typeof field.default === 'string' && LENGTH_TYPES.has(field.type)) {
    if (
      (field.max !== undefined && field.default.length > field.max) ||
      (field.min !== undefined && field.default.length < field.min)
    ) {
      fail(token, index, 'the default does not satisfy min/max length');
    }
  }
  if (field.unique && field.default !== undefined)
    fail(token, index, 'a unique field cannot have a default');
  return fieldSchema.parse(field);
}

function applyModifier(field: FieldSpec, modifier: string, token: string, index: number): void {
  const [key = '', ...rest] = modifier.split('=');
  const value = rest.join('=');
  const hasValue = modifier.includes('=');
  switch (key) {
    case 'unique':
      if (hasValue) fail(token, index, '"unique" takes no value');
      if (!UNIQUE_TYPES.has(field.type))
        fail(token, index, `a ${field.type} field cannot be unique`);
      field.unique = true;
      return;
    case 'optional':
      if (hasValue) fail(token, index, '"optional" takes no value');
      field.optional = true;
      return;
    case 'min':
    case 'max': {
      if (!LENGTH_TYPES.has(field.type) && !NUMERIC_TYPES.has(field.type)) {
        fail(token, index, `"${key}" applies to text and number fields, not to ${field.type}`);
      }
      const integerOnly =
        LENGTH_TYPES.has(field.type) || field.type === 'int' || field.type === 'bigint';
      if (!(integerOnly ? INTEGER : DECIMAL).test(value)) {
        fail(
          token,
          index,
          `"${key}" must be ${integerOnly ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`,
        );
      }
      const number = Number(value);
      if (!Number.isSafeInteger(Math.trunc(number))) fail(token, index, `"${key}" is out of range`);
      if (LENGTH_TYPES.has(field.type) && number < 0)
        fail(token, index, `"${key}" is a length and cannot be negative`);
      if (LENGTH_TYPES.has(field.type) && key === 'max' && number === 0)
        fail(token, index, '"max" length must be at least 1');
      field[key] = number;
      return;
    }
    case 'default':
      if (!hasValue || value === '')
        fail(token, index, '"default" needs a value, e.g. default=draft');
      if (field.default !== undefined) fail(token, index, '"default" is given twice');
      field.default = parseDefault(field, value, token, index);
      return;
    default:
      fail(
        token,
        index,
        `unknown modifier ${JSON.stringify(modifier)}; known: unique, optional, min=N, max=N, default=V`,
      );
  }
}

function parseDefault(
  field: FieldSpec,
  value: string,
  token: string,
  index: number,
): string | number | boolean {
  if (!DEFAULTABLE.has(field.type))
    fail(token, index, `a ${field.type} field cannot have a default in the spec`);
  switch (field.type) {
    case 'boolean':
      if (value !== 'true' && value !== 'false')
        fail(token, index, `a boolean default is true or false, got ${JSON.stringify(value)}`);
      return value === 'true';
    case 'int':
    case 'bigint':
      if (!INTEGER.test(value) || !Number.isSafeInteger(Number(value)))
        fail(token, index, `the default must be an integer, got ${JSON.stringify(value)}`);
      return Number(value);
    case 'float':
      if (!DECIMAL.test(value))
        fail(token, index, `the default must be a number, got ${JSON.stringify(value)}`);
      return Number(value);
    case 'decimal':
      if (!DECIMAL.test(value))
        fail(
          token,
          index,
          `the default must be a decimal such as 0 or 9.99, got ${JSON.stringify(value)}`,
        );
      return value;
    case 'enum':
      if (!field.enumValues?.includes(value))
        fail(
          token,
          index,
          `the default ${JSON.stringify(value)} is not one of ${field.enumValues?.join(', ') ?? ''}`,
        );
      return value;
    default:
      // Plain text defaults: printable characters without quotes or backslashes, so the value is
      // the same in TypeScript, SQL and Prisma schema literals.
      if (!/^[^"'`\\\p{Cc}]*$/u.test(value))
        fail(
          token,
          index,
          'a text default may not contain quotes, backslashes or control characters',
        );
      return value;
  }
}
