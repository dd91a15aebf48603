// Fastify 5 + @fastify/jwt (fast-jwt underneath, its defaults: no verification cache). Same
// behaviour as the Koa baseline: Bearer header, algorithm pinned, the claim checks of docs/interop.md §1,
// 401/403 `{"detail"}` answers, the items JSON.
'use strict';
const Fastify = require('fastify');
const common = require('./lib/common');
const { fastifyAuthentication } = require('./lib/fastify-auth');

async function main() {
  const cfg = common.config();
  const app = Fastify({ logger: false });
  const authenticate = await fastifyAuthentication(app, cfg);

  // No response schema: serialised per request with JSON.stringify, like the other targets.
  app.get(common.ROUTE, { onRequest: authenticate }, async () => common.ITEMS);
  app.setNotFoundHandler((request, reply) => reply.code(404).type('application/json').send(common.NOT_FOUND));

  await app.listen({ port: cfg.port, host: '127.0.0.1' });
  common.exitOnSignals(() => app.close());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
