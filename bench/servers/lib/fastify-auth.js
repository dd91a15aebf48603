// The Fastify peers' authentication, shared by fastify-jwt.js and fastify-db.js: @fastify/jwt
// (fast-jwt, no verification cache) with the algorithm pinned and the claim checks of
// docs/interop.md §1, answering 401/403 `{"detail"}` like the other targets.
'use strict';
const fastifyJwt = require('@fastify/jwt');
const common = require('./common');

/** Registers @fastify/jwt on `app` and returns the `onRequest` hook that authenticates a request. */
async function fastifyAuthentication(app, cfg) {
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

  return async function authenticate(request, reply) {
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
  };
}

module.exports = { fastifyAuthentication };
