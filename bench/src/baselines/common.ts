/**
 * What every baseline server shares: the same SQL the generated services end up running, the same
 * JSON shapes, the same token check. The baselines do no validation, logging or security headers
 * beyond that: they are the floor a framework adds to, not services anyone should deploy.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { encodeCursor, env } from './auth.js';

export { authorized, env, isUuid } from './auth.js';

/** Same pool size as Prisma's pg adapter (pg's default, 10). */
export const pool = new pg.Pool({ connectionString: env.databaseUrl });

/**
 * BASELINE_PG_NAMED=1: every query is a named prepared statement (`{ name, text, values }`), parsed
 * and planned once per connection; otherwise pg's default, an unnamed statement per query (as
 * Prisma's pg adapter sends them).
 */
const named = process.env.BASELINE_PG_NAMED === '1';

function query<Row extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) {
  return named ? pool.query<Row>({ name, text, values }) : pool.query<Row>(text, values);
}

/**
 * Decimals as the generated services write them: Prisma's Decimal#toString, i.e. without the
 * trailing zeros PostgreSQL keeps for the column's scale ("1.9900" is "1.99", "10.0000" is "10").
 */
export function decimalJson(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
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
    price: decimalJson(row.price),
    status: row.status,
    stock: row.stock,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getProduct(id: string): Promise<string | null> {
  const { rows } = await query<ProductRow>(
    'product-by-id',
    `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = $1 LIMIT 1`,
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : JSON.stringify(productJson(row));
}

export async function listProducts(limit: number): Promise<string> {
  const { rows } = await query<ProductRow>(
    'product-page',
    `SELECT ${PRODUCT_COLUMNS} FROM products ORDER BY created_at DESC, id DESC LIMIT $1`,
    [limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return JSON.stringify({
    data: page.map(productJson),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.id) : null,
  });
}

/** The body must be `{ title: string, price: string }`; anything else is null (400). */
export async function createProduct(body: unknown): Promise<{ id: string; json: string } | null> {
  if (typeof body !== 'object' || body === null) return null;
  const { title, price } = body as Record<string, unknown>;
  if (typeof title !== 'string' || typeof price !== 'string') return null;
  const id = randomUUID();
  const { rows } = await query<ProductRow>(
    'product-insert',
    `INSERT INTO products (id, title, price, updated_at) VALUES ($1, $2, $3, now()) RETURNING ${PRODUCT_COLUMNS}`,
    [id, title, price],
  );
  const row = rows[0];
  if (row === undefined) throw new Error('insert returned nothing');
  return { id, json: JSON.stringify(productJson(row)) };
}

export async function getNote(id: string): Promise<string | null> {
  const { rows } = await query<NoteRow>(
    'note-by-id',
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
