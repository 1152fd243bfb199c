import { createRequire } from 'node:module';
import type { Block, Enum, Field, Model } from '@mrleebo/prisma-ast';
import { ConflictError, GenError } from '../errors.js';
import type { Tree } from '../tree.js';

type PrismaAst = typeof import('@mrleebo/prisma-ast');
let prismaAst: Promise<PrismaAst> | undefined;
// require, not import(): see loadTsMorph in typescript.ts.
const loadPrismaAst = (): Promise<PrismaAst> =>
  (prismaAst ??= Promise.resolve(
    createRequire(import.meta.url)('@mrleebo/prisma-ast') as PrismaAst,
  ));

export interface SchemaBlock {
  readonly kind: 'model' | 'enum';
  readonly name: string;
  /** The complete block source, e.g. "model Product {\n  id String @id\n}". */
  readonly source: string;
}

/**
 * Adds model and enum blocks to a Prisma schema through its AST, idempotently: a block that exists
 * with the same content is left alone; one that exists with different content is a conflict
 * unless `force` replaces it.
 */
export async function ensureSchemaBlocks(
  tree: Tree,
  schemaPath: string,
  blocks: readonly SchemaBlock[],
  options: { readonly force?: boolean } = {},
): Promise<void> {
  const text = tree.read(schemaPath);
  if (text === null) throw new GenError(`cannot edit ${schemaPath}: the file does not exist`);
  const { getSchema, printSchema } = await loadPrismaAst();
  const schema = getSchema(text);
  let changed = false;
  for (const block of blocks) {
    const parsed = getSchema(block.source).list.find((item) => item.type === block.kind);
    if (parsed === undefined)
      throw new GenError(`internal: not a ${block.kind} block: ${block.source}`);
    const index = schema.list.findIndex(
      (item) => item.type === block.kind && 'name' in item && item.name === block.name,
    );
    const existing = schema.list[index];
    if (existing === undefined) {
      schema.list.push(...separator(schema.list), parsed);
      changed = true;
      continue;
    }
    if (printBlock(printSchema, existing) === printBlock(printSchema, parsed)) continue;
    if (options.force !== true) {
      throw new ConflictError(
        schemaPath,
        `${schemaPath} already has a ${block.kind} ${block.name} that differs from the one this command generates; re-run with --force to replace it`,
      );
    }
    schema.list[index] = parsed;
    changed = true;
  }
  if (changed) tree.overwrite(schemaPath, printSchemaFile(printSchema(schema)));
}

export interface ModelField {
  readonly model: string;
  readonly name: string;
  /** The field type as written in the schema, e.g. "Product[]" or "String?". */
  readonly type: string;
}

/**
 * Adds a field to an existing model (e.g. the back-relation `products Product[]` a new relation
 * needs on the referenced model), once. A field of that name with another type is a conflict.
 */
export async function ensureModelField(
  tree: Tree,
  schemaPath: string,
  field: ModelField,
): Promise<void> {
  const text = tree.read(schemaPath);
  if (text === null) throw new GenError(`cannot edit ${schemaPath}: the file does not exist`);
  const { getSchema, printSchema } = await loadPrismaAst();
  const schema = getSchema(text);
  const model = schema.list.find(
    (item): item is Model => item.type === 'model' && item.name === field.model,
  );
  if (model === undefined) throw new GenError(`${schemaPath} has no model ${field.model}`);
  const parsedField = (
    getSchema(`model X {\n  ${field.name} ${field.type}\n}`).list[0] as Model
  ).properties.find((property): property is Field => property.type === 'field');
  if (parsedField === undefined)
    throw new GenError(`internal: not a field: ${field.name} ${field.type}`);
  const existing = model.properties.find(
    (property): property is Field => property.type === 'field' && property.name === field.name,
  );
  if (existing !== undefined) {
    const same =
      existing.fieldType === parsedField.fieldType &&
      Boolean(existing.array) === Boolean(parsedField.array) &&
      Boolean(existing.optional) === Boolean(parsedField.optional);
    if (same) return;
    throw new ConflictError(
      schemaPath,
      `${schemaPath}: model ${field.model} already has a field "${field.name}" of another type; rename it or remove it first`,
    );
  }
  const lastField = model.properties.map((property) => property.type).lastIndexOf('field');
  model.properties.splice(lastField + 1, 0, parsedField);
  tree.overwrite(schemaPath, printSchemaFile(printSchema(schema)));
}

/** Names of the models declared in a schema. */
export async function listModels(tree: Tree, schemaPath: string): Promise<string[]> {
  const text = tree.read(schemaPath);
  if (text === null) return [];
  const { getSchema } = await loadPrismaAst();
  return getSchema(text)
    .list.filter((item) => item.type === 'model')
    .map((item) => (item as { name: string }).name);
}

/** prisma-ast prints a leading blank line; a schema file starts with its first block. */
function printSchemaFile(printed: string): string {
  return `${printed.trim()}\n`;
}

function separator(list: readonly Block[]): Block[] {
  return list.length > 0 && list.at(-1)?.type !== 'break' ? [{ type: 'break' }] : [];
}

function printBlock(print: PrismaAst['printSchema'], block: Block): string {
  return print({ type: 'schema', list: [block] }).trim();
}

/** The fields of a model as `name → type` (`Product[]`, `String?`), or null if there is no such model. */
export async function modelFields(
  tree: Tree,
  schemaPath: string,
  modelName: string,
): Promise<Map<string, string> | null> {
  const text = tree.read(schemaPath);
  if (text === null) return null;
  const { getSchema } = await loadPrismaAst();
  const model = getSchema(text).list.find(
    (item): item is Model => item.type === 'model' && item.name === modelName,
  );
  if (model === undefined) return null;
  return new Map(
    model.properties
      .filter((property): property is Field => property.type === 'field')
      .map((field) => [
        field.name,
        `${typeof field.fieldType === 'string' ? field.fieldType : field.fieldType.name}${field.array === true ? '[]' : ''}${field.optional === true ? '?' : ''}`,
      ]),
  );
}

/** Removes a field from a model if it is there (e.g. a back-relation whose relation went away). */
export async function removeModelField(
  tree: Tree,
  schemaPath: string,
  modelName: string,
  fieldName: string,
): Promise<void> {
  const text = tree.read(schemaPath);
  if (text === null) return;
  const { getSchema, printSchema } = await loadPrismaAst();
  const schema = getSchema(text);
  const model = schema.list.find(
    (item): item is Model => item.type === 'model' && item.name === modelName,
  );
  if (model === undefined) return;
  const index = model.properties.findIndex(
    (property) => property.type === 'field' && property.name === fieldName,
  );
  if (index === -1) return;
  model.properties.splice(index, 1);
  tree.overwrite(schemaPath, printSchemaFile(printSchema(schema)));
}

/** The values of an enum in the schema, or null if there is no such enum. */
export async function enumValues(
  tree: Tree,
  schemaPath: string,
  enumName: string,
): Promise<string[] | null> {
  const text = tree.read(schemaPath);
  if (text === null) return null;
  const { getSchema } = await loadPrismaAst();
  const block = getSchema(text).list.find(
    (item): item is Enum => item.type === 'enum' && item.name === enumName,
  );
  if (block === undefined) return null;
  return block.enumerators.flatMap((item) => (item.type === 'enumerator' ? [item.name] : []));
}
