/**
 * What a migration diff needs to read of two Prisma schemas. Prisma's engine parses and compares
 * every model, so on a service with fifty resources the diff for the fifty-first took half as long
 * again as the first, while the SQL only ever concerns the models that changed. Unchanged models
 * produce no SQL; the changed ones need the models they relate to, so those stay too.
 */

interface Block {
  readonly kind: string;
  readonly name: string;
  readonly text: string;
}

const BLOCK_START = /^(model|enum|generator|datasource|view|type)\s+(\w+)\s*\{\s*$/;
// A field line: its name and its type (a model's name for a relation field).
const FIELD = /^\s*(\w+)\s+(\w+)(?:\[\]|\?)?(?:\s|$)/;

/**
 * The two schemas cut to the blocks that differ, the models those relate to, every enum and the
 * generator and datasource blocks. A model kept only because a changed one relates to it loses its
 * relation fields to models left out, the same way on both sides, so it still adds no SQL. Anything
 * this does not fully understand (views, composite types, several database schemas, text outside
 * blocks) keeps both schemas whole.
 */
export function scopeForDiff(before: string, after: string): { before: string; after: string } {
  const old = parseBlocks(before);
  const next = parseBlocks(after);
  if (old === undefined || next === undefined) return { before, after };

  const models = (blocks: readonly Block[]) =>
    new Map(blocks.filter((block) => block.kind === 'model').map((block) => [block.name, block]));
  const oldModels = models(old);
  const newModels = models(next);
  const allModels = new Set([...oldModels.keys(), ...newModels.keys()]);

  const changed = new Set(
    [...allModels].filter((name) => oldModels.get(name)?.text !== newModels.get(name)?.text),
  );
  if (changed.size === 0) return { before, after };
  const kept = new Set(changed);
  for (const name of changed) {
    for (const block of [oldModels.get(name), newModels.get(name)]) {
      for (const target of relationTargets(block, allModels)) kept.add(target);
    }
  }

  const scoped = (blocks: readonly Block[]) =>
    blocks
      .filter((block) => block.kind !== 'model' || kept.has(block.name))
      .map((block) =>
        block.kind === 'model' && !changed.has(block.name)
          ? withoutRelationsOutside(block, allModels, kept)
          : block.text,
      )
      .join('\n\n')
      .concat('\n');
  return { before: scoped(old), after: scoped(next) };
}

/** Top-level blocks in order, or undefined when the schema holds something not handled here. */
function parseBlocks(schema: string): Block[] | undefined {
  if (/@@schema\b/.test(schema)) return undefined;
  const blocks: Block[] = [];
  let current: { kind: string; name: string; lines: string[] } | undefined;
  for (const line of schema.split('\n')) {
    if (current === undefined) {
      const start = BLOCK_START.exec(line);
      if (start !== null) {
        const [, kind = '', name = ''] = start;
        if (kind === 'view' || kind === 'type') return undefined;
        current = { kind, name, lines: [line] };
      } else if (line.trim() !== '' && !line.trim().startsWith('//')) {
        return undefined;
      }
      continue;
    }
    current.lines.push(line);
    if (line.trim() === '}') {
      blocks.push({ kind: current.kind, name: current.name, text: current.lines.join('\n') });
      current = undefined;
    }
  }
  return current === undefined ? blocks : undefined;
}

function relationTargets(block: Block | undefined, models: ReadonlySet<string>): string[] {
  if (block === undefined) return [];
  return block.text
    .split('\n')
    .slice(1, -1)
    .map((line) => FIELD.exec(line)?.[2])
    .filter((type): type is string => type !== undefined && models.has(type));
}

function withoutRelationsOutside(
  block: Block,
  models: ReadonlySet<string>,
  kept: ReadonlySet<string>,
): string {
  return block.text
    .split('\n')
    .filter((line) => {
      const type = FIELD.exec(line)?.[2];
      return type === undefined || !models.has(type) || kept.has(type);
    })
    .join('\n');
}
