import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGenerator, runUndo, UsageError } from '@svcgen/core';
import { apiResourceGenerator } from '@svcgen/generator-api-resource';
import { serviceGenerator } from '@svcgen/generator-service';
import { readTree } from '@svcgen/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { jwtAuthGenerator } from '../src/index.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const snapshot = readTree;

async function service(framework: 'express' | 'fastify'): Promise<string> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'svcgen-auth-'));
  dirs.push(cwd);
  await runGenerator(serviceGenerator, { name: 'shop', framework, dir: '.' }, { cwd });
  return cwd;
}

const auth = (cwd: string, options: Record<string, unknown> = {}) =>
  runGenerator(jwtAuthGenerator, { service: './shop', ...options }, { cwd });

describe.each(['express', 'fastify'] as const)('gen jwt-auth into a %s service', (framework) => {
  it('adds the auth module, models, migration, config and registration; a re-run changes nothing', async () => {
    const cwd = await service(framework);
    const before = await snapshot(cwd);
    await auth(cwd);
    const after = await snapshot(cwd);
    const added = Object.keys(after).filter((file) => !(file in before));
    const changed = Object.keys(after).filter(
      (file) => file in before && before[file] !== after[file],
    );
    expect(added.map((file) => file.replace(/\d{14}/, '<stamp>')).sort()).toMatchSnapshot();
    expect(changed.sort()).toEqual([
      'shop/.env.example',
      'shop/.gen/manifest.json',
      'shop/package.json',
      'shop/prisma/schema.prisma',
      'shop/src/app.ts',
      'shop/src/config.ts',
      'shop/src/openapi-security.ts',
      'shop/test/env.ts',
    ]);
    expect(after['shop/src/config.ts']).toMatch(/JWT_SECRET: z\s*\.string\(/);
    expect(after['shop/src/app.ts']?.match(/createAuth\(\{/g)).toHaveLength(1);
    expect(after['shop/prisma/schema.prisma']).toContain('enum Role {\n  user\n  admin\n}');
    expect(JSON.parse(after['shop/package.json'] ?? '{}')).toMatchObject({
      dependencies: { '@node-rs/argon2': '2.2.1', jose: '6.2.18' },
    });
    // A development secret in the git-ignored .env, nowhere else.
    expect(after['shop/.env']).toMatch(/^JWT_SECRET=[A-Za-z0-9_-]{64}$/m);
    expect(after['shop/.gitignore']).toMatch(/^\.env$/m);
    const secret = /^JWT_SECRET=(.+)$/m.exec(after['shop/.env'] ?? '')?.[1] ?? '';
    expect(JSON.stringify(after['shop/.gen/manifest.json'])).not.toContain(secret);
    // Production refuses it: its SHA-256 (not the secret) is in the auth module.
    const digest = createHash('sha256').update(secret).digest('hex');
    expect(after['shop/src/modules/auth/secret.ts']).toContain(`'${digest}'`);
    expect(after['shop/src/modules/auth/secret.ts']).not.toContain(secret);

    const again = await auth(cwd);
    expect(again.written).toBe(false);
    expect(await snapshot(cwd)).toEqual(after);
  });
});

describe('gen jwt-auth safety', () => {
  it('never overwrites an existing .env', async () => {
    const cwd = await service('fastify');
    await writeFile(path.join(cwd, 'shop/.env'), 'DATABASE_URL=postgresql://me:secret@db/shop\n');
    await auth(cwd);
    expect(await readFile(path.join(cwd, 'shop/.env'), 'utf8')).toBe(
      'DATABASE_URL=postgresql://me:secret@db/shop\n',
    );
  });

  it('refuses a User model it did not create, writing nothing', async () => {
    const cwd = await service('express');
    const schema = path.join(cwd, 'shop/prisma/schema.prisma');
    await writeFile(
      schema,
      `${await readFile(schema, 'utf8')}\nmodel User {\n  id String @id\n  name String\n}\n`,
    );
    const before = await snapshot(cwd);
    await expect(auth(cwd)).rejects.toThrow(/already has a User model/);
    expect(await snapshot(cwd)).toEqual(before);
  });

  it.each([['Admin'], ['user,user'], ['us er'], ['']])('refuses --roles %j', async (roles) => {
    const cwd = await service('express');
    await expect(auth(cwd, { roles })).rejects.toBeInstanceOf(UsageError);
  });

  it('--auth and --owned on api-resource need jwt-auth first, and a known role', async () => {
    const cwd = await service('fastify');
    const resource = (options: Record<string, unknown>) =>
      runGenerator(
        apiResourceGenerator,
        { name: 'note', service: './shop', fields: 'body:text', ...options },
        { cwd },
      );
    await expect(resource({ owned: true })).rejects.toThrow(/run "pnpm gen jwt-auth/);
    await auth(cwd);
    await expect(resource({ auth: 'role=boss' })).rejects.toThrow(/roles are user, admin/);
    await expect(resource({ auth: 'role=admin', owned: true })).rejects.toThrow(/see every record/);
    await expect(resource({ auth: 'everyone' })).rejects.toBeInstanceOf(UsageError);
    await resource({ owned: true });
    const files = await snapshot(cwd);
    expect(files['shop/prisma/schema.prisma']).toMatch(/model User \{[^}]*notes\s+Note\[\]/);
    expect(files['shop/src/app.ts']).toContain('noteRoutes(prisma, auth)');
  });

  it("refuses api-resources that would replace jwt-auth's models, even with --force, writing nothing", async () => {
    const cwd = await service('express');
    await auth(cwd);
    const before = await snapshot(cwd);
    for (const name of ['user', 'users', 'session', 'refresh-token', 'role']) {
      await expect(
        runGenerator(
          apiResourceGenerator,
          { name, service: './shop', fields: 'nickname:string' },
          { cwd, force: true },
        ),
        name,
      ).rejects.toThrow(/belongs to jwt-auth/);
    }
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('undo removes it byte for byte', async () => {
    const cwd = await service('express');
    const before = await snapshot(cwd);
    await auth(cwd);
    await runUndo({ cwd: path.join(cwd, 'shop') });
    expect(await snapshot(cwd)).toEqual(before);
  });
});
