/**
 * Bare Fastify and Prisma: the generated service's own Prisma client, plain user code, no plugins.
 * Records go out as they come from Prisma (JSON.stringify: Decimal#toJSON, Date#toJSON), which is
 * the generated service's JSON.
 */
import Fastify from 'fastify';
import { authorized, createInput, createPrisma, env, isUuid, listPage } from './prisma.js';

const prisma = createPrisma();
await prisma.$connect();
const app = Fastify({ logger: false });

app.get('/health/ready', () => ({ status: 'ok' }));
app.get<{ Querystring: { limit?: string } }>('/api/v1/products', (request) =>
  listPage(prisma, Number(request.query.limit ?? 20)),
);
app.post('/api/v1/products', async (request, reply) => {
  const data = createInput(request.body);
  if (data === null) return reply.status(400).send({ status: 400, title: 'Bad Request' });
  const record = await prisma.product.create({ data });
  return reply.status(201).header('location', `/api/v1/products/${record.id}`).send(record);
});
app.get<{ Params: { id: string } }>('/api/v1/products/:id', async (request, reply) => {
  const { id } = request.params;
  const record = isUuid(id) ? await prisma.product.findUnique({ where: { id } }) : null;
  if (record === null) return reply.status(404).send({ status: 404, title: 'Not Found' });
  return record;
});
app.get<{ Params: { id: string } }>('/api/v1/notes/:id', async (request, reply) => {
  if (!(await authorized(request.headers.authorization))) {
    return reply.status(401).send({ status: 401, title: 'Unauthorized' });
  }
  const { id } = request.params;
  const record = isUuid(id) ? await prisma.note.findUnique({ where: { id } }) : null;
  if (record === null) return reply.status(404).send({ status: 404, title: 'Not Found' });
  return record;
});

await app.listen({ host: '127.0.0.1', port: env.port });
process.once('SIGTERM', () => {
  void app.close().then(() => prisma.$disconnect());
});
