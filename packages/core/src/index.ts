export { applyChanges, type ApplyHooks } from './apply.js';
export {
  ensureModelField,
  ensureSchemaBlocks,
  enumValues,
  listModels,
  modelFields,
  removeModelField,
  type ModelField,
  type SchemaBlock,
} from './edit/prisma.js';
export {
  editTypeScript,
  ensureNamedImports,
  ensureObjectProperties,
  hasVariable,
  ensureStatement,
  type ImportSpec,
  type InsertStatementSpec,
  type ObjectPropertiesSpec,
} from './edit/typescript.js';
export { ConflictError, ExitCode, GenError, UsageError } from './errors.js';
export {
  FIELD_TYPES,
  GENERATED_FIELDS,
  parseFieldSpec,
  type FieldSpec,
  type FieldType,
} from './fields.js';
export { ejectGenerator, ejectOptions } from './eject.js';
export { formatStagedFiles } from './format.js';
export {
  defineGenerator,
  optionFlag,
  type AnswerContext,
  type DeferredStep,
  type GenerateResult,
  type Generator,
  type GeneratorContext,
  type PostStep,
} from './generator.js';
export {
  changedByOtherGenerators,
  MANIFEST_PATH,
  readManifest,
  type Manifest,
  type ManifestRun,
} from './manifest.js';
export {
  names,
  resourceNames,
  RESERVED_WORDS,
  splitWords,
  validateName,
  type Names,
  type ResourceNames,
} from './names.js';
export { formatPlan, toPlan, type PlanAction, type PlanEntry } from './plan.js';
export {
  OVERRIDES_DIR,
  TemplateRenderer,
  type TemplateRendererOptions,
  type TemplateVars,
} from './render.js';
export {
  parseOptions,
  runGenerator,
  runUndo,
  type DeferredResult,
  type RunOptions,
  type RunResult,
} from './runner.js';
export { Tree, type ChangeType, type FileChange, type WriteOptions } from './tree.js';
export { stageUndo, type UndoOptions } from './undo.js';
export {
  addDependencies,
  API_ROUTES,
  assertWritableDir,
  AUTH_SCHEMA_NAMES,
  displayPath,
  FRAMEWORKS,
  locateService,
  SERVICE_SCHEMA,
  serviceFramework,
  serviceSteps,
  type Framework,
  type PackageDependencies,
} from './service.js';
export { NODE_ENGINES, pinned, PRISMA_VERSION, VERSIONS, type PinnedPackage } from './versions.js';
export { migrateDiffCommand, migrationSql, stageMigration } from './migration.js';
export { diffSchemas } from './schema-engine.js';
