/**
 * What every baseline server shares: the same SQL the generated services end up running, the same
 * JSON shapes, the same token check. The baselines do no validation, logging or security headers
 * beyond that: they are the floor a framework adds to, not services anyone should deploy.
 */
import { randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import pg from 'pg';

export const env = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: required('DATABASE_URL'),
  jwtKey: new TextEncoder().encode(required('JWT_SECRET')),
  issuer: process.env.JWT_ISSUER ?? 'shop',
  audience: process.env.JWT_AUDIENCE ?? 'shop',
};

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

/** Same pool size as Prisma's pg adapter (pg's default, 10). */
export const pool = new pg.Pool({ connectionString: env.databaseUrl });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

interface ProductRow {
  id: string;
  title: string;
  price: string;
  status: string;
  stock: number;
  created_at: Date;
  updated_at: Date;
}

interface NoteRow {
  id: string;
  body: string;
  pinned: boolean;
  created_at: Date;
  updated_at: Date;
}

const PRODUCT_COLUMNS = 'id, title, price, status, stock, created_at, updated_at';

function productJson(row: ProductRow) {
  return {
    id: row.id,
    title: row.title,
    price: row.price,
    status: row.status,
    stock: row.stock,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getProduct(id: string): Promise<string | null> {
  const { rows } = await pool.query<ProductRow>(
    `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = $1 LIMIT 1`,
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : JSON.stringify(productJson(row));
}

export async function listProducts(limit: number): Promise<string> {
  const { rows } = await pool.query<ProductRow>(
    `SELECT ${PRODUCT_COLUMNS} FROM products ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return JSON.stringify({
    data: page.map(productJson),
    nextCursor:
      rows.length > limit && last !== undefined
        ? Buffer.from(JSON.stringify({ id: last.id })).toString('base64url')
        : null,
  });
}

/** The body must be `{ title: string, price: string }`; anything else is null (400). */
export async function createProduct(body: unknown): Promise<{ id: string; json: string } | null> {
  if (typeof body !== 'object' || body === null) return null;
  const { title, price } = body as Record<string, unknown>;
  if (typeof title !== 'string' || typeof price !== 'string') return null;
  const id = randomUUID();
  const { rows } = await pool.query<ProductRow>(
    `INSERT INTO products (id, title, price, updated_at) VALUES ($1, $2, $3, now()) RETURNING ${PRODUCT_COLUMNS}`,
    [id, title, price],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('insert returned nothing');
  return { id, json: JSON.stringify(productJson(row)) };
}

export async function getNote(id: string): Promise<string | null> {
  const { rows } = await pool.query<NoteRow>(
    'SELECT id, body, pinned, created_at, updated_at FROM notes WHERE id = $1 LIMIT 1',
    [id],
  );
  const row = rows[0];
  if (row === undefined) return null;
  return JSON.stringify({
    id: row.id,
    body: row.body,
    pinned: row.pinned,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  });
}

/** The same checks as the generated services' access-token verification. */
export async function authorized(header: string | undefined): Promise<boolean> {
  const token =
    header === undefined ? undefined : /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header)?.[1];
  if (token === undefined) return false;
  try {
    await jwtVerify(token, env.jwtKey, {
      algorithms: ['HS256'],
      issuer: env.issuer,
      audience: env.audience,
      typ: 'at+jwt',
      requiredClaims: ['sub', 'iat', 'exp'],
    });
    return true;
  } catch {
    return false;
  }
}
