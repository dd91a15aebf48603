// Fastify 5 + @fastify/jwt + MikroORM 6 (`RequestContext` per request, MikroORM's documented Fastify
// set-up): the database peer of the example's `GET /api/items/`. Same auth rules as fastify-jwt.js.
'use strict';
const Fastify = require('fastify');
const { MikroORM, RequestContext } = require('@mikro-orm/core');
const { PostgreSqlDriver } = require('@mikro-orm/postgresql');
const common = require('./lib/common');
const { fastifyAuthentication } = require('./lib/fastify-auth');
const { Item, PAGE_SIZE, ormOptions } = require('./lib/items-entity');

async function main() {
  const cfg = common.config();
  const orm = await MikroORM.init(ormOptions(PostgreSqlDriver));
  const app = Fastify({ logger: false });
  const authenticate = await fastifyAuthentication(app, cfg);
  app.addHook('onRequest', (request, reply, done) => RequestContext.create(orm.em, done));

  app.get(common.ROUTE, { onRequest: authenticate }, async () => orm.em.find(Item, {}, { orderBy: { createdAt: 'desc' }, limit: PAGE_SIZE }));
  app.setNotFoundHandler((request, reply) => reply.code(404).type('application/json').send(common.NOT_FOUND));
  await app.listen({ port: cfg.port, host: '127.0.0.1' });
  common.exitOnSignals(async () => {
    await app.close();
    await orm.close();
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
