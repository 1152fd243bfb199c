import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  API_ROUTES,
  AUTH_SCHEMA_NAMES,
  defineGenerator,
  editTypeScript,
  ensureModelField,
  enumValues,
  hasVariable,
  ensureNamedImports,
  ensureObjectProperties,
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
  /**
   * Open routes that still sign in a caller who sends a token: the resource references records
   * only signed-in callers may read, and the caller decides which.
   */
  optionalAuth: boolean;
  /** The service's roles (none without jwt-auth). */
  roles: readonly string[];
  /** Reads every record of an owned resource: `admin`, when the service has it and the guard lets it in. */
  adminRole?: string;
  /** A role that passes the guard, for the generated tests' user. */
  testRole?: string;
  /** A role that does not pass the guard (role mode only), for the 403 test. */
  deniedRole?: string;
}

/**
 * Who may read a resource through its own routes, as its `<name>.access.ts` declares it (the
 * generated `ReadAccess` of src/lib/access.ts).
 */
const readAccessSchema = z.strictObject({
  signIn: z.boolean(),
  roles: z.array(z.string()).optional(),
  owned: z.boolean().optional(),
  seeAll: z.array(z.string()).optional(),
});
type ReadAccess = z.infer<typeof readAccessSchema>;

/** A `ref(Model)` field and who may read the records it names. */
interface Ref {
  readonly field: FieldSpec;
  readonly read: ReadAccess;
  /** Its test factory takes the id of the user to create it for (generated tests only). */
  readonly takesOwner: boolean;
}

/** Everything the later phases need, checked against the service: nothing is staged yet. */
interface Resource {
  readonly names: ResourceNames;
  readonly model: string;
  readonly fields: readonly FieldSpec[];
  readonly refs: readonly Ref[];
  readonly service: string;
  readonly schemaPath: string;
  readonly framework: Framework;
  readonly models: readonly string[];
  readonly access: Access;
}

async function normalize(
  tree: Tree,
  options: ApiResourceOptions,
  service: string,
): Promise<Resource> {
  const resource = resourceNames(options.name);
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
  const refs: Ref[] = [];
  for (const field of checkRefs(tree, service, model, fields, models)) {
    const target = names(field.ref ?? '').kebab;
    const factory = tree.read(`${service}/test/factories/${target}.factory.ts`) ?? '';
    refs.push({
      field,
      read: readAccessOf(tree, service, field),
      takesOwner: /export async function create\w+\([^)]*\bownerId\?: string/.test(factory),
    });
  }
  return {
    names: resource,
    model,
    fields,
    refs,
    service,
    schemaPath,
    framework: serviceFramework(tree, service),
    models,
    access: await resolveAccess(tree, service, options, models, refs, resource.plural.kebab),
  };
}

/** What the referenced resource's `<name>.access.ts` says about who may read it. */
function readAccessOf(tree: Tree, service: string, field: FieldSpec): ReadAccess {
  const target = names(field.ref ?? '');
  const file = `src/modules/${target.kebab}/${target.kebab}.access.ts`;
  const token = `${field.name}:ref(${field.ref ?? ''})`;
  const source = tree.read(`${service}/${file}`);
  if (source === null) {
    throw new UsageError(
      `${token}: ${service}/${file} is missing (made by an older svcgen); regenerate ${target.kebab} with --force, or write it: it says who may read ${target.kebab} records`,
    );
  }
  const literal = /export const \w+Access(?::\s*ReadAccess)?\s*=\s*(\{[^;]*\})/.exec(source)?.[1];
  const parsed = readAccessSchema.safeParse(
    literal === undefined ? undefined : parseLiteral(literal),
  );
  if (!parsed.success) {
    throw new UsageError(
      `${token}: cannot read ${service}/${file}; expected "export const ${target.camel}Access: ReadAccess = { signIn: true, roles: ['…'], owned: true, seeAll: ['…'] };" with literal values`,
    );
  }
  return parsed.data;
}

/** A plain object literal (quoted strings, booleans, arrays) as JSON; anything else is undefined. */
function parseLiteral(literal: string): unknown {
  const json = literal
    .replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '')
    .replace(/'([^'\\"]*)'/g, '"$1"')
    .replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":')
    .replace(/,(\s*[}\]])/g, '$1');
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

async function resolveAccess(
  tree: Tree,
  service: string,
  options: ApiResourceOptions,
  models: readonly string[],
  refs: readonly Ref[],
  plural: string,
): Promise<Access> {
  const { owned } = options;
  const match = AUTH.exec(options.auth) ?? [];
  const mode =
    match[1] === 'none' ? (owned ? 'user' : 'none') : match[2] === undefined ? 'user' : 'role';
  const optionalAuth = mode === 'none' && refs.some((ref) => ref.read.signIn);
  if (mode === 'none' && !optionalAuth) return { mode, owned, optionalAuth, roles: [] };
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
  if (owned && role === 'admin') {
    throw new UsageError(
      `--owned with --auth role=${role}: ${role}s see every record, so ownership would never apply`,
    );
  }
  // The generated tests sign in with a role that passes the guard and may read every reference.
  const eligible = (role === undefined ? roles : [role]).filter((candidate) =>
    refs.every((ref) => ref.read.roles?.includes(candidate) ?? true),
  );
  const blocking = refs.find((ref) => ref.read.roles !== undefined);
  if (eligible.length === 0 && blocking !== undefined) {
    throw new UsageError(
      `${blocking.field.name}:ref(${blocking.field.ref ?? ''}): only the ${(blocking.read.roles ?? []).join(', ')} role may read ${names(blocking.field.ref ?? '').kebab} records, and no caller of ${plural} can have it${role === undefined ? '' : ` (their routes need ${role})`}`,
    );
  }
  // Admins read every record of an owned resource, when its guard lets them in at all: behind
  // --auth role=editor only editors reach the routes, each their own.
  const adminRole = roles.includes('admin') && role === undefined ? 'admin' : undefined;
  const testRole = eligible.find((candidate) => candidate !== 'admin') ?? eligible[0];
  const deniedRole = role === undefined ? undefined : roles.find((candidate) => candidate !== role);
  return {
    mode,
    owned,
    optionalAuth,
    roles,
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
  project: (options, cwd) => locateService(cwd, options.service),
  async generate(tree, options, context) {
    const resource = await normalize(tree, options, context.projectDir);
    await updateSchema(tree, resource, context.force);
    renderFiles(tree, context.templates, resource, context.force);
    await register(tree, resource);
    const { service } = resource;
    return {
      postSteps: serviceSteps(service, context),
      nextSteps: [
        '',
        'Next:',
        `  cd ${context.pathForUser(service)}`,
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
    ...resource.refs.map((ref) => ref.field.ref ?? ''),
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
    stageMigration(tree, resource.service, name, before, after);
  }
}

function renderFiles(
  tree: Tree,
  templates: TemplateRenderer,
  resource: Resource,
  force: boolean,
): void {
  const views = resource.fields.map((field) => fieldView(field));
  for (const view of views) {
    const ref = resource.refs.find((candidate) => candidate.field.name === view.name);
    if (view.ref !== undefined && ref !== undefined) {
      view.ref.takesOwner = ref.takesOwner;
      view.ref.ownedTarget = ref.read.owned === true;
      view.ref.sameOwner = ref.read.owned === true && resource.access.owned;
    }
  }
  const vars = {
    ...templateVars(resource.names, views),
    ...accessVars(resource.access, resource.refs),
    ...referenceVars(resource, views),
    // Unique per owner (model.ts): another user may hold the same value.
    sameOwnerRefs: views.some((view) => view.ref?.sameOwner === true),
    ownerScopedUnique: resource.access.owned
      ? views.filter((view) => view.unique && !view.isRef)
      : [],
  };
  const write = { force };
  const pathVars = { kebab: resource.names.singular.kebab };
  renderShared(tree, templates, resource.service, vars, testsSignIn(resource.access));
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
const SHARED_FILES = ['src/lib/validation.ts', 'src/lib/access.ts', 'test/support/samples.ts'];
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

/**
 * src/app.ts mounts the resource's routes: an entry in its `apiRoutes` list, or, in a service
 * generated before that list existed, one statement after the last route registration.
 */
async function register(tree: Tree, resource: Resource): Promise<void> {
  const { service, framework } = resource;
  const { kebab } = resource.names.singular;
  const plural = resource.names.plural;
  const auth = resource.access.mode !== 'none' || resource.access.optionalAuth;
  const routes = `${names(kebab).camel}Routes`;
  const authArg = auth ? ', auth' : '';
  const call =
    framework === 'express' ? `${routes}(prisma, routes${authArg})` : `${routes}(prisma${authArg})`;
  await editTypeScript(tree, `${service}/src/app.ts`, (file) => {
    ensureNamedImports(file, {
      moduleSpecifier: `./modules/${kebab}/${kebab}.routes.js`,
      namedImports: [routes],
    });
    if (hasVariable(file, API_ROUTES, 'buildApp')) {
      ensureObjectProperties(file, {
        variable: API_ROUTES,
        functionName: 'buildApp',
        properties: [{ name: plural.kebab, initializer: call }],
      });
    } else if (framework === 'express') {
      ensureStatement(file, {
        functionName: 'buildApp',
        statement: `api.use('/${plural.kebab}', ${call});`,
        anchor: (statement) => /^(const api = Router\(\)|api\.use\()/.test(statement.getText()),
        anchorDescription: 'the "const api = Router()" line',
      });
    } else {
      ensureStatement(file, {
        functionName: 'buildApp',
        statement: `await app.register(${call}, { prefix: '/api/v1/${plural.kebab}' });`,
        anchor: (statement) => /^await app\.register\(\w+Routes\(/.test(statement.getText()),
        anchorDescription: 'the "await app.register(healthRoutes(…), …)" line',
      });
    }
  });
}

/** The generated tests sign in (as `testRole`) when the routes can tell callers apart. */
const testsSignIn = (access: Access): boolean => access.mode !== 'none' || access.optionalAuth;

function accessVars(access: Access, refs: readonly Ref[]): Record<string, unknown> {
  const auth = access.mode !== 'none';
  const guard = access.role === undefined ? 'requireAuth' : 'requireRole';
  const usesCaller = access.owned || refs.length > 0;
  const caller = auth ? 'authOf' : access.optionalAuth ? 'callerOf' : undefined;
  const passCaller = usesCaller && caller !== undefined;
  // 401 for a bad token (or none); 403 for a role guard, or a reference only some roles may read.
  const signIn = auth || access.optionalAuth;
  const forbidden = access.role !== undefined || refs.some((ref) => ref.read.roles !== undefined);
  const statuses = (list: string[]) => list.map((status) => `${status}, `).join('');
  return {
    auth,
    optionalAuth: access.optionalAuth,
    needsAuth: signIn,
    testAuth: testsSignIn(access),
    usesCaller,
    factoryOwner: usesCaller && testsSignIn(access),
    callerFastify: passCaller ? `${caller}(request)` : '',
    callerExpress: passCaller ? `${caller}(req)` : '',
    readStatuses: statuses([...(signIn ? ['401'] : []), ...(forbidden ? ['403'] : [])]),
    writeStatuses: statuses([
      ...(signIn ? ['401'] : []),
      ...(access.role === undefined ? [] : ['403']),
    ]),
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

/** Who may read this resource (its `<name>.access.ts`), mirroring the routes' guard. */
function ownReadAccess(access: Access): ReadAccess {
  if (access.mode === 'none') return { signIn: false };
  return {
    signIn: true,
    ...(access.role === undefined ? {} : { roles: [access.role] }),
    ...(access.owned ? { owned: true } : {}),
    ...(access.owned && access.adminRole !== undefined ? { seeAll: [access.adminRole] } : {}),
  };
}

function accessLiteral(read: ReadAccess): string {
  const list = (values: readonly string[]) => `[${values.map((value) => `'${value}'`).join(', ')}]`;
  const parts = [`signIn: ${String(read.signIn)}`];
  if (read.roles !== undefined) parts.push(`roles: ${list(read.roles)}`);
  if (read.owned === true) parts.push('owned: true');
  if (read.seeAll !== undefined) parts.push(`seeAll: ${list(read.seeAll)}`);
  return `{ ${parts.join(', ')} }`;
}

function accessSummary(read: ReadAccess): string {
  if (!read.signIn) return 'anyone';
  const who =
    read.roles === undefined
      ? 'signed-in users'
      : `signed-in users with the ${read.roles.join(' or ')} role`;
  if (read.owned !== true) return who;
  const all = read.seeAll === undefined ? '' : `; ${read.seeAll.join(' and ')}s read them all`;
  return `${who}, each their own${all}`;
}

/**
 * The resource's own access declaration, and the tests of every reference to a record not everyone
 * may read: another owner's (owned targets), a role the caller lacks, or no sign-in at all.
 */
function referenceVars(resource: Resource, views: readonly FieldView[]): Record<string, unknown> {
  const { access } = resource;
  const own = ownReadAccess(access);
  const guardedRefs = resource.refs.flatMap((ref) => {
    const view = views.find((candidate) => candidate.name === ref.field.name);
    if (view?.ref === undefined || !ref.read.signIn) return [];
    const { roles, seeAll = [] } = ref.read;
    const outsiderRole =
      roles === undefined || access.role !== undefined
        ? undefined
        : access.roles.find((role) => !roles.includes(role));
    // An admin who passes this resource's guard and reads every record of the target, so only the
    // same-owner rule stops them linking one user's record to another's.
    const { adminRole } = access;
    const linkingAdmin =
      access.owned &&
      ref.read.owned === true &&
      ref.takesOwner &&
      access.role === undefined &&
      adminRole !== undefined &&
      seeAll.includes(adminRole) &&
      (roles?.includes(adminRole) ?? true)
        ? adminRole
        : undefined;
    return [
      {
        ...view.ref,
        name: ref.field.name,
        linkingAdmin,
        owned: ref.read.owned === true && !seeAll.includes(access.testRole ?? ''),
        roles: roles?.join(' or '),
        outsiderRole,
        anonymous: access.optionalAuth,
      },
    ];
  });
  return {
    refsTakeOwner: resource.refs.some((ref) => ref.takesOwner),
    accessLiteral: accessLiteral(own),
    accessSummary: accessSummary(own),
    guardedRefs,
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
