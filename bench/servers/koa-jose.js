// Baseline: raw Koa 3 + jose. One middleware doing what m8's route does: Bearer header, a full
// jose `jwtVerify` on every request (key imported once, algorithm pinned), the claim checks of
// docs/interop.md §1, 401/403 `{"detail"}` answers, and the items JSON.
'use strict';
const Koa = require('koa');
const jose = require('jose');
const common = require('./lib/common');

async function main() {
  const cfg = common.config();
  const key = await common.joseKey(jose, cfg);
  const verifyOptions = { algorithms: [cfg.algorithm], clockTolerance: common.LEEWAY_SECONDS, requiredClaims: ['exp', 'sub', 'jti'] };

  function unauthorized(ctx, detail, challenge) {
    ctx.status = 401;
    ctx.set('WWW-Authenticate', challenge);
    ctx.type = 'application/json';
    ctx.body = detail;
  }

  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method !== 'GET' || (ctx.path !== common.ROUTE && ctx.path !== '/api/items')) {
      ctx.status = 404;
      ctx.type = 'application/json';
      ctx.body = common.NOT_FOUND;
      return;
    }
    const token = common.bearerToken(ctx.get('authorization'));
    if (token === undefined) return unauthorized(ctx, common.NOT_AUTHENTICATED, 'Bearer');
    const user = await common.verifiedUser(jose, token, key, verifyOptions);
    if (user === undefined) return unauthorized(ctx, common.INVALID, 'Bearer error="invalid_token"');
    if (!user.isActive) {
      ctx.status = 403;
      ctx.type = 'application/json';
      ctx.body = common.INACTIVE;
      return;
    }
    ctx.body = common.ITEMS; // serialised per request, as a controller's return value is
  });

  const server = app.listen(cfg.port, '127.0.0.1');
  common.exitOnSignals(() => new Promise((resolve) => server.close(resolve)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
