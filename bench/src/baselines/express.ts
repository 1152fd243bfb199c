/** Bare Express and pg: routing, JSON parsing and the same queries; no middleware beyond json(). */
import express from 'express';
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

const app = express();
app.disable('x-powered-by');
app.use(express.json());
const json = 'application/json; charset=utf-8';

app.get('/health/ready', (_req, res) => {
  res.json({ status: 'ok' });
});
app.get('/api/v1/products', async (req, res) => {
  const limit = typeof req.query.limit === 'string' ? Number(req.query.limit) : 20;
  res.type(json).send(await listProducts(limit));
});
app.post('/api/v1/products', async (req, res) => {
  const created = await createProduct(req.body);
  if (created === null) {
    res.status(400).json({ status: 400, title: 'Bad Request' });
    return;
  }
  res.status(201).location(`/api/v1/products/${created.id}`).type(json).send(created.json);
});
app.get('/api/v1/products/:id', async (req, res) => {
  const found = isUuid(req.params.id) ? await getProduct(req.params.id) : null;
  if (found === null) {
    res.status(404).json({ status: 404, title: 'Not Found' });
    return;
  }
  res.type(json).send(found);
});
app.get('/api/v1/notes/:id', async (req, res) => {
  if (!(await authorized(req.headers.authorization))) {
    res.status(401).json({ status: 401, title: 'Unauthorized' });
    return;
  }
  const found = isUuid(req.params.id) ? await getNote(req.params.id) : null;
  if (found === null) {
    res.status(404).json({ status: 404, title: 'Not Found' });
    return;
  }
  res.type(json).send(found);
});

const server = app.listen(env.port, '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  void pool.end();
});
