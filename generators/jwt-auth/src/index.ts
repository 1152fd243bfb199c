import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  API_ROUTES,
  addDependencies,
  defineGenerator,
  editTypeScript,
  ensureNamedImports,
  ensureObjectProperties,
  ensureSchemaBlocks,
  ensureStatement,
  hasVariable,
  listModels,
  locateService,
  modelFields,
  names,
  pinned,
  SERVICE_SCHEMA,
  serviceFramework,
  serviceSteps,
  stageMigration,
  UsageError,
  type SchemaBlock,
  type TemplateRenderer,
  type Tree,
} from '@svcgen/core';
import { z } from 'zod';

const templatesDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../templates/jwt-auth',
);
const ROLE = /^[a-z][a-z0-9_]{0,31}$/;

/** What the auth module runs on, at the versions in packages/core/src/versions.ts. */
const AUTH_DEPENDENCIES = pinned(['@node-rs/argon2', 'jose']);

export const jwtAuthOptions = z.object({
  service: z.string().min(1).describe('The service: its name (services/<name>) or a path to it'),
  roles: z
    .string()
    .default('user,admin')
    .describe('Comma-separated roles; the first is what new accounts get'),
});

/** Configuration the auth module adds to src/config.ts (names and zod expressions). */
function configProperties(service: string) {
  return [
    {
      name: 'JWT_SECRET',
      initializer: `z
    .string({ error: 'is required: at least 32 random bytes, e.g. openssl rand -base64 48' })
    .refine((value) => Buffer.byteLength(value) >= 32, 'must be at least 32 bytes (openssl rand -base64 48)')`,
    },
    { name: 'JWT_ISSUER', initializer: `z.string().min(1).default('${service}')` },
    { name: 'JWT_AUDIENCE', initializer: `z.string().min(1).default('${service}')` },
    {
      name: 'ACCESS_TOKEN_TTL',
      initializer: 'z.coerce.number().int().min(60).max(3600).default(900)',
    },
    {
      name: 'REFRESH_TOKEN_TTL',
      initializer: 'z.coerce.number().int().min(3600).max(90 * 24 * 3600).default(14 * 24 * 3600)',
    },
    {
      name: 'SESSION_MAX_AGE',
      initializer: 'z.coerce.number().int().min(3600).max(365 * 24 * 3600).default(30 * 24 * 3600)',
    },
    { name: 'AUTH_RATE_LIMIT_MAX', initializer: 'z.coerce.number().int().min(0).default(100)' },
    {
      name: 'AUTH_ACCOUNT_FAILURES_MAX',
      initializer: 'z.coerce.number().int().min(1).default(100)',
    },
  ];
}

export const jwtAuthGenerator = defineGenerator({
  name: 'jwt-auth',
  description:
    'Register, login, rotating refresh tokens with reuse detection, logout, me and roles (argon2id, JOSE)',
  options: jwtAuthOptions,
  examples: [
    'pnpm gen jwt-auth --service shop',
    'pnpm gen jwt-auth --service ./services/shop --roles user,editor,admin',
  ],
  templatesDir,
  project: (options, cwd) => locateService(cwd, options.service),
  async generate(tree, options, context) {
    const roles = parseRoles(options.roles);
    const service = context.projectDir;
    const framework = serviceFramework(tree, service);
    const serviceName = names(path.basename(path.resolve(context.cwd, service))).kebab;
    const schemaPath = `${service}/${SERVICE_SCHEMA}`;

    const models = await listModels(tree, schemaPath);
    const before = tree.read(schemaPath) ?? '';
    const defaultRole = roles[0] ?? 'user';
    const blocks = await authBlocks(
      tree,
      context.templates,
      schemaPath,
      { roles, defaultRole },
      models,
    );
    await ensureSchemaBlocks(tree, schemaPath, blocks, { force: context.force });
    const after = tree.read(schemaPath) ?? '';
    if (after !== before)
      stageMigration(
        tree,
        service,
        models.includes('User') ? 'change_auth' : 'add_auth',
        before,
        after,
      );

    // A development secret for a new .env; production refuses it (and any kept from an earlier run).
    const developmentSecret = tree.exists(`${service}/.env`)
      ? undefined
      : randomBytes(48).toString('base64url');
    const vars = {
      roles,
      defaultRole,
      name: serviceName,
      secretHashes: developmentSecretHashes(tree, service, developmentSecret),
    };
    context.templates.renderDir(tree, 'common', service, vars, {}, { force: context.force });
    context.templates.renderDir(tree, framework, service, vars, {}, { force: context.force });
    addDependencies(tree, service, { dependencies: AUTH_DEPENDENCIES });

    await editTypeScript(tree, `${service}/src/config.ts`, (file) => {
      ensureObjectProperties(file, {
        variable: 'configSchema',
        properties: configProperties(serviceName),
      });
    });
    await editTypeScript(tree, `${service}/src/openapi-security.ts`, (file) => {
      ensureObjectProperties(file, {
        variable: 'SECURITY_SCHEMES',
        properties: [
          {
            name: 'bearerAuth',
            initializer: "{ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }",
          },
        ],
      });
    });
    await editTypeScript(tree, `${service}/test/env.ts`, (file) => {
      ensureObjectProperties(file, {
        variable: 'REQUIRED_ENV',
        properties: [
          // A fixed secret for tests only; real ones come from the environment.
          {
            name: 'JWT_SECRET',
            initializer: "'test-only-secret-not-for-production-0123456789abcdef'",
          },
        ],
      });
    });
    await register(tree, service, framework);
    writeEnvFiles(
      tree,
      service,
      context.templates.render('schema/env.example.hbs', {}),
      developmentSecret,
    );

    return {
      postSteps: serviceSteps(service, context),
      nextSteps: [
        '',
        'Next:',
        `  cd ${context.pathForUser(service)}`,
        ...(context.install ? [] : ['  pnpm install']),
        ...(context.migrate ? [] : ['  pnpm db:generate && pnpm db:deploy']),
        '  set JWT_SECRET in production (openssl rand -base64 48); .env has a development one',
        '  protect routes: pnpm gen api-resource <name> --service … --auth user|role=<role>',
      ],
    };
  },
});

function parseRoles(raw: string): string[] {
  const roles = raw.split(',').map((role) => role.trim());
  for (const role of roles) {
    if (!ROLE.test(role)) {
      throw new UsageError(
        `--roles: ${JSON.stringify(role)} is not a role name: lowercase letters, digits and "_", starting with a letter`,
      );
    }
  }
  if (new Set(roles).size !== roles.length) throw new UsageError('--roles: a role is listed twice');
  return roles;
}

/** The models jwt-auth owns: their back-relations to User are the auth module's own. */
const AUTH_RELATIONS = new Set(['sessions', 'refreshTokens']);

/**
 * Role enum, User, Session and RefreshToken (templates/jwt-auth/schema). An existing User model
 * that this generator did not write is never replaced: the run is refused instead.
 */
async function authBlocks(
  tree: Tree,
  templates: TemplateRenderer,
  schemaPath: string,
  vars: { roles: readonly string[]; defaultRole: string },
  models: readonly string[],
): Promise<SchemaBlock[]> {
  const existing = await modelFields(tree, schemaPath, 'User');
  if (existing !== null && existing.get('passwordHash') === undefined) {
    throw new UsageError(
      `${schemaPath} already has a User model that jwt-auth did not create; rename it or remove it first (jwt-auth never replaces it)`,
    );
  }
  // Back-relations other resources added to User (owned resources) are theirs: keep them.
  const backRelations = [...(existing ?? new Map<string, string>())]
    .filter(
      ([name, type]) =>
        !AUTH_RELATIONS.has(name) && type.endsWith('[]') && models.includes(type.slice(0, -2)),
    )
    .map(([name, type]) => ({ name, type }));
  const block = (kind: SchemaBlock['kind'], name: string): SchemaBlock => ({
    kind,
    name,
    source: templates.render(`schema/${name}.prisma.hbs`, { ...vars, backRelations }).trimEnd(),
  });
  return [
    block('enum', 'Role'),
    block('model', 'User'),
    block('model', 'Session'),
    block('model', 'RefreshToken'),
  ];
}

async function register(
  tree: Tree,
  service: string,
  framework: 'express' | 'fastify',
): Promise<void> {
  await editTypeScript(tree, `${service}/src/app.ts`, (file) => {
    ensureNamedImports(file, {
      moduleSpecifier: './modules/auth/auth.js',
      namedImports: ['createAuth'],
    });
    ensureNamedImports(file, {
      moduleSpecifier: './modules/auth/auth.routes.js',
      namedImports: ['authRoutes'],
    });
    const createAuth =
      'const auth = createAuth({ prisma, config, logger: deps.logger, redis: deps.redis });';
    const authRoutes = framework === 'express' ? 'authRoutes(auth, routes)' : 'authRoutes(auth)';
    const listed = hasVariable(file, API_ROUTES, 'buildApp');
    if (framework === 'express') {
      ensureStatement(file, {
        functionName: 'buildApp',
        statement: createAuth,
        anchor: (statement) => statement.getText().startsWith('const api = Router()'),
        anchorDescription: 'the "const api = Router()" line',
      });
      if (!listed) {
        ensureStatement(file, {
          functionName: 'buildApp',
          statement: `api.use('/auth', ${authRoutes});`,
          anchor: (statement) => statement.getText().startsWith('const auth = createAuth('),
          anchorDescription: 'the "const auth = createAuth(…)" line',
        });
      }
    } else {
      ensureStatement(file, {
        functionName: 'buildApp',
        statement: createAuth,
        anchor: (statement) => statement.getText().startsWith('await app.register(healthRoutes('),
        anchorDescription: 'the "await app.register(healthRoutes(…), …)" line',
      });
      if (!listed) {
        ensureStatement(file, {
          functionName: 'buildApp',
          statement: `await app.register(${authRoutes}, { prefix: '/api/v1/auth' });`,
          anchor: (statement) => statement.getText().startsWith('const auth = createAuth('),
          anchorDescription: 'the "const auth = createAuth(…)" line',
        });
      }
    }
    if (listed) {
      ensureObjectProperties(file, {
        variable: API_ROUTES,
        functionName: 'buildApp',
        properties: [{ name: 'auth', initializer: authRoutes }],
      });
    }
  });
}

/**
 * Documents the new variables in .env.example and, when the service has no .env yet, writes one
 * (git-ignored) with a random development secret. An existing .env is never touched: it may hold
 * other secrets, and the manifest would record them.
 */
function writeEnvFiles(
  tree: Tree,
  service: string,
  authEnv: string,
  developmentSecret: string | undefined,
): void {
  const example = `${service}/.env.example`;
  const current = tree.read(example) ?? '';
  const next = current.includes('\nJWT_SECRET=') ? current : `${current.trimEnd()}\n${authEnv}`;
  if (next !== current) tree.overwrite(example, next);
  const env = `${service}/.env`;
  if (developmentSecret !== undefined) {
    tree.create(env, next.replace(/^JWT_SECRET=$/m, `JWT_SECRET=${developmentSecret}`));
  }
}

/**
 * SHA-256 of the development secrets production must refuse: the one written now, or those an
 * earlier run recorded in secret.ts (so a re-run renders the same file and changes nothing).
 */
function developmentSecretHashes(
  tree: Tree,
  service: string,
  developmentSecret: string | undefined,
): string[] {
  const recorded = tree.read(`${service}/src/modules/auth/secret.ts`) ?? '';
  const kept = /DEVELOPMENT_SECRETS[^=]*=[^[]*\[([^\]]*)\]/.exec(recorded)?.[1] ?? '';
  const hashes = [...kept.matchAll(/'([0-9a-f]{64})'/g)].map((match) => match[1] ?? '');
  if (developmentSecret !== undefined) {
    hashes.push(createHash('sha256').update(developmentSecret).digest('hex'));
  }
  return [...new Set(hashes)];
}

export default jwtAuthGenerator;
