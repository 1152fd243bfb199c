import type { Block } from '@mrleebo/prisma-ast';
import { ConflictError, GenError } from '../errors.js';
import type { Tree } from '../tree.js';

type PrismaAst = typeof import('@mrleebo/prisma-ast');
let prismaAst: Promise<PrismaAst> | undefined;
const loadPrismaAst = (): Promise<PrismaAst> => (prismaAst ??= import('@mrleebo/prisma-ast'));

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
    if (parsed === undefined) throw new GenError(`internal: not a ${block.kind} block: ${block.source}`);
    const index = schema.list.findIndex((item) => item.type === block.kind && 'name' in item && item.name === block.name);
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
  if (changed) tree.overwrite(schemaPath, printSchema(schema));
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

function separator(list: readonly Block[]): Block[] {
  return list.length > 0 && list.at(-1)?.type !== 'break' ? [{ type: 'break' }] : [];
}

function printBlock(print: PrismaAst['printSchema'], block: Block): string {
  return print({ type: 'schema', list: [block] }).trim();
}
