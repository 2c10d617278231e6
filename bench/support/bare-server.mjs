/* global process */
// The reference of the HTTP benchmarks: a bare Fastify server with nothing of cvdesk in it. It answers
// POST /api/v1/reports as the desk's API does (parses the JSON body, 201 with a body of the same
// shape) without storing anything, and serves static answers for the public reads (the routes file
// holds the desk's own bytes, so both answers are the same size). Plain JavaScript, run by node
// itself, so its cold start is Fastify's and not a TypeScript loader's.
//
//   PORT=8081 BARE_ROUTES_FILE=routes.json node bench/support/bare-server.mjs
//
// routes.json: [{ "path": "/advisories", "status": 200, "contentType": "text/html; charset=utf-8", "body": "..." }]
// Requests are logged as cvdesk logs them (pino at info to stdout), so both pay the same logging.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 8081);
const host = process.env.HOST ?? '127.0.0.1';
const routes = process.env.BARE_ROUTES_FILE ? JSON.parse(readFileSync(process.env.BARE_ROUTES_FILE, 'utf8')) : [];

const app = Fastify({ logger: { level: process.env.BARE_LOG_LEVEL ?? 'info' }, bodyLimit: 12 * 1024 * 1024 });
let number = 0;

app.post('/api/v1/reports', async (req, reply) => {
  const body = req.body;
  if (typeof body !== 'object' || body === null || typeof body.title !== 'string' || typeof body.description !== 'string') {
    return reply.status(400).send({ error: { code: 'invalid_input', message: 'title and description are required' } });
  }
  const token = randomBytes(32).toString('base64url');
  return reply
    .status(201)
    .header('cache-control', 'no-store')
    .send({ id: randomUUID(), number: ++number, trackingUrl: `http://localhost:${port}/r/${token}`, token });
});

for (const r of routes) {
  app.get(r.path, async (_req, reply) => reply.status(r.status).type(r.contentType).send(r.body));
}
if (!routes.some((r) => r.path === '/')) app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send('<!doctype html><title>bare</title><p>bare Fastify</p>'));

const stop = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
await app.listen({ host, port });
