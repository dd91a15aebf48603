// Fastify 5 + @fastify/jwt (fast-jwt underneath, its defaults: no verification cache). Same
// behaviour as the Koa baseline: Bearer header, algorithm pinned, the claim checks of docs/interop.md §1,
// 401/403 `{"detail"}` answers, the items JSON.
'use strict';
const Fastify = require('fastify');
const fastifyJwt = require('@fastify/jwt');
const common = require('./lib/common');

async function main() {
  const cfg = common.config();
  const app = Fastify({ logger: false });
  await app.register(fastifyJwt, {
    secret: cfg.algorithm === 'HS256' ? cfg.secret : { public: cfg.publicKeyPem },
    verify: {
      algorithms: [cfg.algorithm],
      requiredClaims: ['exp', 'sub', 'jti'],
      clockTolerance: common.LEEWAY_SECONDS * 1000, // fast-jwt counts in milliseconds
    },
  });

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
