/** Bare Fastify and pg: routing, JSON parsing and the same queries; no plugins. */
import Fastify from 'fastify';
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

const app = Fastify({ logger: false });
const json = 'application/json; charset=utf-8';

app.get('/health/ready', () => ({ status: 'ok' }));
app.get<{ Querystring: { limit?: string } }>('/api/v1/products', async (request, reply) =>
  reply.type(json).send(await listProducts(Number(request.query.limit ?? 20))),
);
app.post('/api/v1/products', async (request, reply) => {
  const created = await createProduct(request.body);
  if (created === null) return reply.status(400).send({ status: 400, title: 'Bad Request' });
  return reply
    .status(201)
    .header('location', `/api/v1/products/${created.id}`)
    .type(json)
    .send(created.json);
});
app.get<{ Params: { id: string } }>('/api/v1/products/:id', async (request, reply) => {
  const found = isUuid(request.params.id) ? await getProduct(request.params.id) : null;
  if (found === null) return reply.status(404).send({ status: 404, title: 'Not Found' });
  return reply.type(json).send(found);
});
app.get<{ Params: { id: string } }>('/api/v1/notes/:id', async (request, reply) => {
  if (!(await authorized(request.headers.authorization))) {
    return reply.status(401).send({ status: 401, title: 'Unauthorized' });
  }
  const found = isUuid(request.params.id) ? await getNote(request.params.id) : null;
  if (found === null) return reply.status(404).send({ status: 404, title: 'Not Found' });
  return reply.type(json).send(found);
});

await app.listen({ host: '127.0.0.1', port: env.port });
process.once('SIGTERM', () => {
  void app.close().then(() => pool.end());
});
