import { createRequire } from 'node:module';
import type {
  Node,
  ObjectLiteralExpression,
  SourceFile,
  Statement,
  VariableDeclaration,
} from 'ts-morph';
import { GenError } from '../errors.js';
import type { Tree } from '../tree.js';

type TsMorph = typeof import('ts-morph');
let tsMorph: Promise<TsMorph> | undefined;
/**
 * ts-morph (with its TypeScript compiler) is loaded only by generators that edit code, and with
 * require: `import()` of a CommonJS file first scans it for its exports (~70 ms for ts-morph).
 */
const loadTsMorph = (): Promise<TsMorph> =>
  (tsMorph ??= Promise.resolve(createRequire(import.meta.url)('ts-morph') as TsMorph));

/**
 * Parses a staged TypeScript file into an AST, lets `edit` change it through ts-morph, and stages
 * the printed result. Edits must be idempotent: check the AST for what you add before adding it.
 */
export async function editTypeScript(
  tree: Tree,
  filePath: string,
  edit: (file: SourceFile) => void,
): Promise<void> {
  const text = tree.read(filePath);
  if (text === null) throw new GenError(`cannot edit ${filePath}: the file does not exist`);
  const { Project, QuoteKind } = await loadTsMorph();
  const project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    manipulationSettings: { quoteKind: QuoteKind.Single },
  });
  const file = project.createSourceFile('/edit.ts', text);
  edit(file);
  const next = file.getFullText();
  if (next !== text) tree.overwrite(filePath, next);
}

export interface ImportSpec {
  readonly moduleSpecifier: string;
  readonly namedImports: readonly string[];
  readonly typeOnly?: boolean;
}

/** Adds named imports from a module unless they are already imported (no duplicate declarations). */
export function ensureNamedImports(file: SourceFile, spec: ImportSpec): void {
  const existing = file
    .getImportDeclarations()
    .find(
      (declaration) =>
        declaration.getModuleSpecifierValue() === spec.moduleSpecifier &&
        declaration.isTypeOnly() === (spec.typeOnly ?? false),
    );
  const have = new Set(existing?.getNamedImports().map((named) => named.getName()) ?? []);
  const missing = spec.namedImports.filter((name) => !have.has(name));
  if (missing.length === 0) return;
  if (existing) {
    existing.addNamedImports([...missing]);
    return;
  }
  const imports = file.getImportDeclarations();
  const declaration = {
    moduleSpecifier: spec.moduleSpecifier,
    namedImports: [...missing],
    isTypeOnly: spec.typeOnly ?? false,
  };
  const last = imports.at(-1);
  if (last) file.insertImportDeclaration(last.getChildIndex() + 1, declaration);
  else file.insertImportDeclaration(0, declaration);
}

/** Compares statements by their tokens, ignoring formatting, quote style and a trailing semicolon. */
function sameStatement(statement: Statement, text: string): boolean {
  const normalize = (source: string): string =>
    source.replace(/\s+/g, '').replace(/;$/, '').replace(/"/g, "'");
  return normalize(statement.getText()) === normalize(text);
}

export interface InsertStatementSpec {
  /** Name of the function declaration to edit, e.g. buildApp. */
  readonly functionName: string;
  /** The statement to add, e.g. "api.use('/products', productRoutes);". */
  readonly statement: string;
  /** The new statement goes after the last statement matching this; the function must have one. */
  readonly anchor: (statement: Statement) => boolean;
  /** Human description of the anchor for error messages. */
  readonly anchorDescription: string;
}

/** Inserts a statement into a function body after the last anchor statement, once. */
export function ensureStatement(file: SourceFile, spec: InsertStatementSpec): void {
  const fn = file.getFunction(spec.functionName);
  if (fn === undefined) {
    throw new GenError(
      `cannot find the function ${spec.functionName}() to register in; was it renamed?`,
    );
  }
  const statements = fn.getStatements();
  if (statements.some((statement) => sameStatement(statement, spec.statement))) return;
  const anchor = statements.filter(spec.anchor).at(-1);
  if (anchor === undefined) {
    throw new GenError(
      `cannot find ${spec.anchorDescription} in ${spec.functionName}(); add this line by hand: ${spec.statement}`,
    );
  }
  fn.insertStatements(anchor.getChildIndex() + 1, spec.statement);
}

export interface ObjectPropertiesSpec {
  /** The variable whose object literal gets the properties: `const x = { … }` or `const x = f({ … })`. */
  readonly variable: string;
  /** Look for the variable among this function's statements instead of the file's. */
  readonly functionName?: string;
  /** Names that are not identifiers (`order-items`) are written quoted. */
  readonly properties: readonly { readonly name: string; readonly initializer: string }[];
}

/**
 * Adds properties to the object literal a variable is initialized with (directly, or as the first
 * object argument of a call such as `z.object({ … })`), skipping names already there.
 */
export function ensureObjectProperties(file: SourceFile, spec: ObjectPropertiesSpec): void {
  const names = spec.properties.map((property) => property.name).join(', ');
  const declaration = objectVariable(file, spec);
  if (declaration === undefined) {
    throw new GenError(`cannot find "const ${spec.variable}" to add ${names} to; was it renamed?`);
  }
  const initializer = declaration.getInitializer();
  const isObject = (node: Node): node is ObjectLiteralExpression =>
    node.getKindName() === 'ObjectLiteralExpression';
  // The initializer itself, or the first object inside it (the argument of `z.object({ … })`).
  const object =
    initializer === undefined
      ? undefined
      : isObject(initializer)
        ? initializer
        : initializer.getKindName() === 'CallExpression'
          ? initializer.getFirstDescendant(isObject)
          : undefined;
  if (object === undefined) {
    throw new GenError(
      `"${spec.variable}" is not initialized with an object literal; add ${names} by hand`,
    );
  }
  const unquote = (name: string): string => name.replace(/^(['"`])(.*)\1$/, '$2');
  const present = new Set(
    object
      .getProperties()
      .flatMap((property) => ('getName' in property ? [unquote(property.getName())] : [])),
  );
  for (const property of spec.properties) {
    if (present.has(property.name)) continue;
    const name = /^[A-Za-z_$][\w$]*$/.test(property.name) ? property.name : `'${property.name}'`;
    object.addPropertyAssignment({ name, initializer: property.initializer });
    present.add(property.name);
  }
}

/** Whether the function (or the file) declares `variable`: where generators add to a list. */
export function hasVariable(file: SourceFile, variable: string, functionName?: string): boolean {
  return objectVariable(file, { variable, functionName }) !== undefined;
}

function objectVariable(
  file: SourceFile,
  spec: { readonly variable: string; readonly functionName?: string | undefined },
): VariableDeclaration | undefined {
  if (spec.functionName === undefined) return file.getVariableDeclaration(spec.variable);
  const fn = file.getFunction(spec.functionName);
  if (fn === undefined) {
    throw new GenError(`cannot find the function ${spec.functionName}() to edit; was it renamed?`);
  }
  return fn.getVariableDeclaration(spec.variable);
}
