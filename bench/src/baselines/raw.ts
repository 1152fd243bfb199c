/** The limit: node:http and pg, no framework. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  authorized,
  createProduct,
  env,
  getNote,
  getProduct,
  isUuid,
  listProducts,
  pool,
} from './common.js';

interface Reply {
  status: number;
  json: string;
  headers?: Record<string, string>;
}

const NOT_FOUND: Reply = { status: 404, json: JSON.stringify({ status: 404, title: 'Not Found' }) };
const BAD_REQUEST: Reply = {
  status: 400,
  json: JSON.stringify({ status: 400, title: 'Bad Request' }),
};
const UNAUTHORIZED: Reply = {
  status: 401,
  json: JSON.stringify({ status: 401, title: 'Unauthorized' }),
};

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    ...reply.headers,
  });
  res.end(reply.json);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

const found = (json: string | null): Reply => (json === null ? NOT_FOUND : { status: 200, json });

async function handle(req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health/ready') return { status: 200, json: '{"status":"ok"}' };
  const [api, version, resource, id] = url.pathname.split('/').filter((part) => part !== '');
  if (api !== 'api' || version !== 'v1') return NOT_FOUND;
  if (resource === 'products' && id === undefined && req.method === 'GET') {
    const limit = Number(url.searchParams.get('limit') ?? 20);
    return { status: 200, json: await listProducts(limit) };
  }
  if (resource === 'products' && id === undefined && req.method === 'POST') {
    const created = await createProduct(await readJson(req));
    if (created === null) return BAD_REQUEST;
    return {
      status: 201,
      json: created.json,
      headers: { location: `/api/v1/products/${created.id}` },
    };
  }
  if (id === undefined || !isUuid(id) || req.method !== 'GET') return NOT_FOUND;
  if (resource === 'products') return found(await getProduct(id));
  if (resource === 'notes') {
    if (!(await authorized(req.headers.authorization))) return UNAUTHORIZED;
    return found(await getNote(id));
  }
  return NOT_FOUND;
}

const server = createServer((req, res) => {
  handle(req).then(
    (reply) => {
      send(res, reply);
    },
    () => {
      send(res, {
        status: 500,
        json: JSON.stringify({ status: 500, title: 'Internal Server Error' }),
      });
    },
  );
});
server.listen(env.port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  void pool.end();
});
