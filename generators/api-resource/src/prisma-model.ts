import type { FieldSpec, ResourceNames, SchemaBlock } from '@svcgen/core';

export const ID_ATTRIBUTES = '@id @default(uuid(7)) @db.Uuid';

/** The Prisma enum generated for an enum field: model name + field name, e.g. ProductStatus. */
export function enumName(model: string, field: FieldSpec): string {
  return `${model}${field.name.charAt(0).toUpperCase()}${field.name.slice(1)}`;
}

/** The relation field a ref field creates: categoryId -> category. */
export function relationName(field: FieldSpec): string {
  return field.name.slice(0, -'Id'.length);
}

function scalarType(model: string, field: FieldSpec): string {
  switch (field.type) {
    case 'string':
    case 'text':
    case 'email':
    case 'url':
    case 'uuid':
    case 'ref':
      return 'String';
    case 'int':
      return 'Int';
    case 'bigint':
      return 'BigInt';
    case 'float':
      return 'Float';
    case 'decimal':
      return 'Decimal';
    case 'boolean':
      return 'Boolean';
    case 'datetime':
    case 'date':
      return 'DateTime';
    case 'json':
      return 'Json';
    case 'enum':
      return enumName(model, field);
  }
}

function nativeType(field: FieldSpec): string | null {
  switch (field.type) {
    case 'string':
      return field.max === undefined ? null : `@db.VarChar(${field.max})`;
    case 'uuid':
    case 'ref':
      return '@db.Uuid';
    case 'datetime':
      return '@db.Timestamptz(3)';
    case 'date':
      return '@db.Date';
    default:
      return null;
  }
}

function defaultAttribute(field: FieldSpec): string | null {
  if (field.default === undefined) return null;
  if (typeof field.default === 'boolean' || typeof field.default === 'number') return `@default(${String(field.default)})`;
  if (field.type === 'enum' || field.type === 'decimal') return `@default(${field.default})`;
  // parseFieldSpec admits no quotes, backslashes or control characters in text defaults.
  return `@default("${field.default}")`;
}

/** Builds the model (and its enums) for a resource; every name was validated by the parser. */
export function prismaBlocks(resource: ResourceNames, fields: readonly FieldSpec[], owner: boolean): SchemaBlock[] {
  const model = resource.singular.pascal;
  const lines: string[] = [`  id        String   ${ID_ATTRIBUTES}`];
  const extras: string[] = [];
  const blocks: SchemaBlock[] = [];
  for (const field of fields) {
    const type = scalarType(model, field) + (field.optional ? '?' : '');
    const attributes = [field.unique ? '@unique' : null, defaultAttribute(field), nativeType(field)].filter((a) => a !== null);
    lines.push(`  ${field.name} ${type} ${attributes.join(' ')}`.trimEnd());
    if (field.type === 'ref' && field.ref !== undefined) {
      lines.push(`  ${relationName(field)} ${field.ref}${field.optional ? '?' : ''} @relation(fields: [${field.name}], references: [id], onDelete: Restrict)`);
      if (!field.unique) extras.push(`  @@index([${field.name}])`);
    }
    if (field.type === 'enum' && field.enumValues !== undefined) {
      blocks.push({ kind: 'enum', name: enumName(model, field), source: `enum ${enumName(model, field)} {\n${field.enumValues.map((value) => `  ${value}`).join('\n')}\n}` });
    }
  }
  if (owner) {
    lines.push('  ownerId   String   @db.Uuid');
    lines.push('  owner     User     @relation(fields: [ownerId], references: [id], onDelete: Cascade)');
    extras.push('  @@index([ownerId])');
  }
  lines.push('  createdAt DateTime @default(now()) @db.Timestamptz(3)');
  lines.push('  updatedAt DateTime @updatedAt @db.Timestamptz(3)');
  extras.push('  @@index([createdAt, id])');
  extras.push(`  @@map("${resource.plural.snake}")`);
  blocks.unshift({ kind: 'model', name: model, source: `model ${model} {\n${lines.join('\n')}\n\n${extras.join('\n')}\n}` });
  return blocks;
}
