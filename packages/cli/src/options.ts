import { optionFlag, UsageError, type Generator } from '@svcgen/core';
import { z } from 'zod';

/** One generator option as the CLI sees it, derived from the generator's zod schema. */
export interface OptionInfo {
  readonly key: string;
  readonly flag: string;
  readonly type: 'string' | 'number' | 'integer' | 'boolean';
  readonly description: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly choices?: readonly string[];
  readonly positional: boolean;
}

interface JsonSchemaProperty {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
}

/** Reads flags, types, defaults and descriptions from the options schema: the one source. */
export function describeOptions(generator: Generator): OptionInfo[] {
  const schema = z.toJSONSchema(generator.options, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, property]) => {
    const type =
      property.type === 'boolean' || property.type === 'number' || property.type === 'integer'
        ? property.type
        : 'string';
    return {
      key,
      flag: optionFlag(key),
      type,
      description: property.description ?? '',
      required: required.has(key),
      ...(property.default === undefined ? {} : { default: property.default }),
      ...(property.enum === undefined ? {} : { choices: property.enum.map(String) }),
      positional: generator.positional === key,
    };
  });
}

/** Turns raw flag strings into the option values the schema expects (numbers, booleans). */
export function coerceOption(option: OptionInfo, raw: string | boolean): unknown {
  if (option.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw new UsageError(
      `${option.flag} is a switch: pass it alone (or --no-${option.flag.slice(2)})`,
    );
  }
  if (typeof raw === 'boolean') throw new UsageError(`${option.flag} needs a value`);
  if (option.type === 'number' || option.type === 'integer') {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value))
      throw new UsageError(`${option.flag} must be a number, got ${JSON.stringify(raw)}`);
    return value;
  }
  return raw;
}
