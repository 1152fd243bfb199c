/**
 * Bare Express and Prisma: the generated service's own Prisma client, plain user code, no
 * middleware beyond json(). Records go out through res.json (JSON.stringify), which is the
 * generated service's JSON.
 */
import express from 'express';
import { authorized, createInput, createPrisma, env, isUuid, listPage } from './prisma.js';

const prisma = createPrisma();
await prisma.$connect();
const app = express();
app.disable('x-powered-by');
app.use(express.json());

app.get('/health/ready', (_req, res) => {
  res.json({ status: 'ok' });
});
app.get('/api/v1/products', async (req, res) => {
  const limit = typeof req.query.limit === 'string' ? Number(req.query.limit) : 20;
  res.json(await listPage(prisma, limit));
});
app.post('/api/v1/products', async (req, res) => {
  const data = createInput(req.body);
  if (data === null) {
    res.status(400).json({ status: 400, title: 'Bad Request' });
    return;
  }
  const record = await prisma.product.create({ data });
  res.status(201).location(`/api/v1/products/${record.id}`).json(record);
});
app.get('/api/v1/products/:id', async (req, res) => {
  const { id } = req.params;
  const record = isUuid(id) ? await prisma.product.findUnique({ where: { id } }) : null;
  if (record === null) {
    res.status(404).json({ status: 404, title: 'Not Found' });
    return;
  }
  res.json(record);
});
app.get('/api/v1/notes/:id', async (req, res) => {
  if (!(await authorized(req.headers.authorization))) {
    res.status(401).json({ status: 401, title: 'Unauthorized' });
    return;
  }
  const { id } = req.params;
  const record = isUuid(id) ? await prisma.note.findUnique({ where: { id } }) : null;
  if (record === null) {
    res.status(404).json({ status: 404, title: 'Not Found' });
    return;
  }
  res.json(record);
});

const server = app.listen(env.port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  void prisma.$disconnect();
});
