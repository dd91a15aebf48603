// Fastify 5 + @fastify/jwt + MikroORM 6 (`RequestContext` per request, MikroORM's documented Fastify
// set-up): the database peer of the example's `GET /api/items/`. Same auth rules as fastify-jwt.js.
'use strict';
const Fastify = require('fastify');
const fastifyJwt = require('@fastify/jwt');
const { MikroORM, RequestContext } = require('@mikro-orm/core');
const { PostgreSqlDriver } = require('@mikro-orm/postgresql');
const common = require('./lib/common');
const { Item, PAGE_SIZE, ormOptions } = require('./lib/items-entity');

async function main() {
  const cfg = common.config();
  const orm = await MikroORM.init(ormOptions(PostgreSqlDriver));
  const app = Fastify({ logger: false });
  await app.register(fastifyJwt, {
    secret: cfg.algorithm === 'HS256' ? cfg.secret : { public: cfg.publicKeyPem },
    verify: { algorithms: [cfg.algorithm], requiredClaims: ['exp', 'sub', 'jti'], clockTolerance: common.LEEWAY_SECONDS * 1000 },
  });
  app.addHook('onRequest', (request, reply, done) => RequestContext.create(orm.em, done));

  function unauthorized(reply, detail, challenge) {
    return reply.code(401).header('WWW-Authenticate', challenge).type('application/json').send(detail);
  }
  async function authenticate(request, reply) {
    const token = common.bearerToken(request.headers.authorization);
    if (token === undefined) return unauthorized(reply, common.NOT_AUTHENTICATED, 'Bearer');
    let user;
    try {
      user = common.userFromClaims(await request.jwtVerify());
    } catch {
      user = undefined;
    }
    if (user === undefined) return unauthorized(reply, common.INVALID, 'Bearer error="invalid_token"');
    if (!user.isActive) return reply.code(403).type('application/json').send(common.INACTIVE);
    request.user = user;
  }

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
