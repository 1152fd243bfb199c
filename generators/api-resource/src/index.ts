import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AUTH_SCHEMA_NAMES,
  defineGenerator,
  editTypeScript,
  ensureModelField,
  enumValues,
  ensureNamedImports,
  ensureSchemaBlocks,
  ensureStatement,
  listModels,
  locateService,
  modelFields,
  names,
  parseFieldSpec,
  removeModelField,
  resourceNames,
  SERVICE_SCHEMA,
  serviceFramework,
  serviceSteps,
  stageMigration,
  UsageError,
  type FieldSpec,
  type Framework,
  type ResourceNames,
  type TemplateRenderer,
  type Tree,
} from '@svcgen/core';
import { z } from 'zod';
import { schemaBlocks } from './model.js';
import { fieldView, type FieldView } from './views.js';

const templatesDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../templates/api-resource',
);

const AUTH = /^(none|user|role=([a-z][a-z0-9_]*))$/;
/** What `gen jwt-auth` writes first; its presence means the service has jwt-auth. */
const AUTH_MODULE = 'src/modules/auth/auth.ts';

export const apiResourceOptions = z.object({
  name: z.string().describe('Resource name, singular or plural (product, products, order-item)'),
  service: z.string().min(1).describe('The service: its name (services/<name>) or a path to it'),
  fields: z
    .string()
    .min(1)
    // Checked here so --fields errors read like every other option's; normalize() parses it again.
    .superRefine((spec, context) => {
      try {
        parseFieldSpec(spec);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
      }
    })
    .describe(
      'Field spec, e.g. "title:string:max=200 price:decimal:min=0 status:enum(draft|live):default=draft categoryId:ref(Category) notes:text?"',
    ),
  auth: z
    .string()
    .regex(AUTH, 'expected none, user or role=<role>')
    .default('none')
    .describe(
      'Who may call the routes: none, user (any signed-in user) or role=<role> (needs jwt-auth)',
    ),
  owned: z
    .boolean()
    .default(false)
    .describe(
      'Records belong to their creator; other users get 404, admins see all (needs jwt-auth)',
    ),
});

type ApiResourceOptions = z.infer<typeof apiResourceOptions>;

interface Access {
  mode: 'none' | 'user' | 'role';
  role?: string;
  owned: boolean;
  adminRole?: string;
  /** A role that passes the guard, for the generated tests' user. */
  testRole?: string;
  /** A role that does not pass the guard (role mode only), for the 403 test. */
  deniedRole?: string;
}

/** Everything the later phases need, checked against the service: nothing is staged yet. */
interface Resource {
  readonly names: ResourceNames;
  readonly model: string;
  readonly fields: readonly FieldSpec[];
  readonly refs: readonly FieldSpec[];
  readonly service: string;
  readonly schemaPath: string;
  readonly framework: Framework;
  readonly models: readonly string[];
  readonly access: Access;
}

async function normalize(tree: Tree, options: ApiResourceOptions): Promise<Resource> {
  const resource = resourceNames(options.name);
  const service = locateService(tree, options.service);
  const schemaPath = `${service}/${SERVICE_SCHEMA}`;
  const model = resource.singular.pascal;
  const models = await listModels(tree, schemaPath);
  const hasAuth = tree.exists(`${service}/${AUTH_MODULE}`);
  if (hasAuth && (AUTH_SCHEMA_NAMES as readonly string[]).includes(model)) {
    // Even with --force: it would replace jwt-auth's model and drop its columns (password hashes).
    throw new UsageError(
      `"${options.name}": the ${model} model belongs to jwt-auth in this service; choose another resource name`,
    );
  }
  const fields = parseFieldSpec(options.fields);
  return {
    names: resource,
    model,
    fields,
    refs: checkRefs(tree, service, model, fields, models),
    service,
    schemaPath,
    framework: serviceFramework(tree, service),
    models,
    access: await resolveAccess(tree, service, options.auth, options.owned, models),
  };
}

async function resolveAccess(
  tree: Tree,
  service: string,
  auth: string,
  owned: boolean,
  models: readonly string[],
): Promise<Access> {
  const match = AUTH.exec(auth) ?? [];
  const mode =
    match[1] === 'none' ? (owned ? 'user' : 'none') : match[2] === undefined ? 'user' : 'role';
  if (mode === 'none') return { mode, owned };
  if (!models.includes('User') || !tree.exists(`${service}/${AUTH_MODULE}`)) {
    throw new UsageError(
      `--auth and --owned need the auth module: run "pnpm gen jwt-auth --service ${service}" first`,
    );
  }
  const roles = (await enumValues(tree, `${service}/${SERVICE_SCHEMA}`, 'Role')) ?? [];
  const role = match[2];
  if (role !== undefined && !roles.includes(role)) {
    throw new UsageError(`--auth role=${role}: the service's roles are ${roles.join(', ')}`);
  }
  const adminRole = roles.includes('admin') ? 'admin' : undefined;
  if (owned && role !== undefined && role === adminRole) {
    throw new UsageError(
      `--owned with --auth role=${role}: ${role}s see every record, so ownership would never apply`,
    );
  }
  const testRole = role ?? roles.find((candidate) => candidate !== adminRole) ?? roles[0];
  const deniedRole = role === undefined ? undefined : roles.find((candidate) => candidate !== role);
  return {
    mode,
    owned,
    ...(role === undefined ? {} : { role }),
    ...(adminRole === undefined ? {} : { adminRole }),
    ...(testRole === undefined ? {} : { testRole }),
    ...(deniedRole === undefined ? {} : { deniedRole }),
  };
}

export const apiResourceGenerator = defineGenerator({
  name: 'api-resource',
  description:
    'A CRUD resource from a field spec: Prisma model + migration, zod schemas, routes, service, repository, tests',
  positional: 'name',
  options: apiResourceOptions,
  examples: [
    'pnpm gen api-resource category --service shop --fields "name:string:max=100:unique"',
    'pnpm gen api-resource product --service shop --fields "title:string:max=200 price:decimal:min=0 sku:string:max=40:unique status:enum(draft|live):default=draft categoryId:ref(Category) notes:text?"',
    'pnpm gen api-resource product --service ./services/shop --fields "title:string" --dry-run',
  ],
  templatesDir,
  async generate(tree, options, context) {
    const resource = await normalize(tree, options);
    await updateSchema(tree, resource, context.force);
    renderFiles(tree, context.templates, resource, context.force);
    await register(tree, resource);
    const { service } = resource;
    return {
      projectDir: service,
      postSteps: serviceSteps(service, context),
      nextSteps: [
        '',
        'Next:',
        `  cd ${service}`,
        ...(context.migrate ? [] : ['  pnpm db:generate && pnpm db:deploy']),
        `  pnpm test   # includes test/${resource.names.singular.kebab}.test.ts`,
      ],
    };
  },
});

/** The model, its back-relations on the models it references (and on User when owned), and the migration. */
async function updateSchema(tree: Tree, resource: Resource, force: boolean): Promise<void> {
  const { names: resourceName, model, fields, models, schemaPath, access } = resource;
  const before = tree.read(schemaPath) ?? '';
  const backRelation = resourceName.plural.camel;
  if (force) await dropStaleBackRelations(tree, schemaPath, model, backRelation, fields, models);
  // Back-relations other resources added to this model (`products Product[]`) are theirs: keep them.
  const existingFields = (await modelFields(tree, schemaPath, model)) ?? new Map<string, string>();
  const backRelations = [...existingFields].filter(
    ([, type]) => type.endsWith('[]') && models.includes(type.slice(0, -2)),
  );
  await ensureSchemaBlocks(
    tree,
    schemaPath,
    schemaBlocks(resourceName, fields, backRelations, access.owned),
    { force },
  );
  const owners = [
    ...resource.refs.map((field) => field.ref ?? ''),
    ...(access.owned ? ['User'] : []),
  ];
  for (const owner of owners) {
    await ensureModelField(tree, schemaPath, {
      model: owner,
      name: backRelation,
      type: `${model}[]`,
    });
  }
  const after = tree.read(schemaPath) ?? '';
  if (after !== before) {
    const name = `${models.includes(model) ? 'change' : 'add'}_${resourceName.singular.snake}`;
    await stageMigration(tree, resource.service, name, before, after);
  }
}

function renderFiles(
  tree: Tree,
  templates: TemplateRenderer,
  resource: Resource,
  force: boolean,
): void {
  const views = resource.fields.map((field) => fieldView(field));
  const vars = {
    ...templateVars(resource.names, views),
    ...accessVars(resource.access),
    // Unique per owner (model.ts): another user may hold the same value.
    ownerScopedUnique: resource.access.owned
      ? views.filter((view) => view.unique && !view.isRef)
      : [],
  };
  const write = { force };
  const pathVars = { kebab: resource.names.singular.kebab };
  renderShared(tree, templates, resource.service, vars, resource.access.mode !== 'none');
  templates.renderDir(tree, 'common', resource.service, vars, pathVars, write);
  templates.renderDir(tree, resource.framework, resource.service, vars, pathVars, write);
}

function checkRefs(
  tree: Tree,
  service: string,
  model: string,
  fields: readonly FieldSpec[],
  models: readonly string[],
): FieldSpec[] {
  const refs = fields.filter((field) => field.type === 'ref');
  const seen = new Set<string>();
  for (const field of refs) {
    const target = field.ref ?? '';
    const token = `${field.name}:ref(${target})`;
    if (target === model) {
      throw new UsageError(`${token}: a model referencing itself is not supported yet`);
    }
    if (!models.includes(target)) {
      throw new UsageError(
        `${token}: ${service}/${SERVICE_SCHEMA} has no model ${target}; generate it first (pnpm gen api-resource ${names(target).kebab} …)`,
      );
    }
    if (
      !tree.exists(
        `${service}/src/modules/${names(target).kebab}/${names(target).kebab}.schemas.ts`,
      )
    ) {
      throw new UsageError(
        `${token}: ${target} was not made by "pnpm gen api-resource"; its module src/modules/${names(target).kebab} is missing`,
      );
    }
    if (seen.has(target)) {
      throw new UsageError(`${token}: only one ref to ${target} per resource is supported`);
    }
    seen.add(target);
  }
  return refs;
}

/**
 * Regenerating an existing model with --force: back-relations on models it no longer references
 * would leave the schema invalid, so they go.
 */
async function dropStaleBackRelations(
  tree: Tree,
  schemaPath: string,
  model: string,
  backRelation: string,
  fields: readonly FieldSpec[],
  models: readonly string[],
): Promise<void> {
  const existing = await modelFields(tree, schemaPath, model);
  if (existing === null) return;
  const stillReferenced = new Set(
    fields.flatMap((field) => (field.ref === undefined ? [] : [field.ref])),
  );
  for (const type of existing.values()) {
    if (type.endsWith('[]')) continue; // a back-relation of another resource, not a reference
    const target = type.replace(/\?$/, '');
    if (models.includes(target) && !stillReferenced.has(target)) {
      await removeModelField(tree, schemaPath, target, backRelation);
    }
  }
}

/** Helpers shared by every resource, written once: a later resource never touches a version the user changed. */
const SHARED_FILES = ['src/lib/validation.ts', 'test/support/samples.ts'];
const SHARED_AUTH_FILES = ['test/support/auth.ts'];

function renderShared(
  tree: Tree,
  templates: TemplateRenderer,
  service: string,
  vars: Record<string, unknown>,
  auth: boolean,
): void {
  for (const file of [...SHARED_FILES, ...(auth ? SHARED_AUTH_FILES : [])]) {
    const target = `${service}/${file}`;
    if (!tree.exists(target)) tree.create(target, templates.render(`shared/${file}.hbs`, vars));
  }
}

/** One line in src/app.ts mounts the resource's routes. */
async function register(tree: Tree, resource: Resource): Promise<void> {
  const { service, framework } = resource;
  const { kebab } = resource.names.singular;
  const plural = resource.names.plural;
  const auth = resource.access.mode !== 'none';
  const routes = `${names(kebab).camel}Routes`;
  const authArg = auth ? ', auth' : '';
  await editTypeScript(tree, `${service}/src/app.ts`, (file) => {
    ensureNamedImports(file, {
      moduleSpecifier: `./modules/${kebab}/${kebab}.routes.js`,
      namedImports: [routes],
    });
    if (framework === 'express') {
      ensureStatement(file, {
        functionName: 'buildApp',
        statement: `api.use('/${plural.kebab}', ${routes}(prisma, routes${authArg}));`,
        anchor: (statement) => /^(const api = Router\(\)|api\.use\()/.test(statement.getText()),
        anchorDescription: 'the "const api = Router()" line',
      });
    } else {
      ensureStatement(file, {
        functionName: 'buildApp',
        statement: `await app.register(${routes}(prisma${authArg}), { prefix: '/api/v1/${plural.kebab}' });`,
        anchor: (statement) => /^await app\.register\(\w+Routes\(/.test(statement.getText()),
        anchorDescription: 'the "await app.register(healthRoutes(prisma), …)" line',
      });
    }
  });
}

function accessVars(access: Access): Record<string, unknown> {
  const auth = access.mode !== 'none';
  const guard = access.role === undefined ? 'requireAuth' : 'requireRole';
  return {
    auth,
    owned: access.owned,
    adminRole: access.adminRole,
    authRole: access.role,
    testRole: access.testRole,
    deniedRole: access.deniedRole,
    guardImport: guard,
    guardExpress:
      access.role === undefined ? '[requireAuth(auth)]' : `requireRole(auth, '${access.role}')`,
    guardFastify:
      access.role === undefined ? 'requireAuth(auth)' : `requireRole(auth, '${access.role}')`,
    authStatuses: !auth ? '' : access.role === undefined ? '401, ' : '401, 403, ',
    authDescription:
      access.role === undefined
        ? 'Every route needs a signed-in user.'
        : `Every route needs a signed-in user with the ${access.role} role.`,
  };
}

function templateVars(
  resource: ResourceNames,
  views: readonly FieldView[],
): Record<string, unknown> {
  const refs = views.filter((view) => view.isRef);
  const unique = views.filter((view) => view.unique);
  const sortable = ['createdAt', 'updatedAt', ...unique.map((view) => view.name)];
  return {
    model: resource.singular.pascal,
    camel: resource.singular.camel,
    kebab: resource.singular.kebab,
    plural: resource.plural.kebab,
    title: resource.singular.kebab.replace(/-/g, ' '),
    pluralTitle: resource.plural.kebab.replace(/-/g, ' '),
    fields: views,
    required: views.filter((view) => view.required),
    filters: views.filter((view) => view.isFilter),
    refs,
    hasRefs: refs.length > 0,
    includes: refs.map((view) => view.ref?.relation ?? ''),
    unique,
    sortable,
    sortValues: sortable.flatMap((name) => [name, `-${name}`]),
    jsonFields: views.filter((view) => view.isJson),
    hasJson: views.some((view) => view.isJson),
    hasBigInt: views.some((view) => view.type === 'bigint'),
    hasDecimal: views.some((view) => view.type === 'decimal'),
    usesN: views.some((view) => /\bn\b/.test(view.sample)),
    usesSamples: views.some((view) => view.sample.includes('samples.')),
    invalidCases: views.flatMap((view) =>
      view.invalid.map((invalid) => ({ field: view.name, value: invalid.value, why: invalid.why })),
    ),
  };
}

export default apiResourceGenerator;
