// Reference "no route slower than": routing-controllers 0.11 on Koa 3, controllers resolved by
// tsyringe, jose verification in the authorizationChecker (per request, key imported once), the same
// claim checks and `{"detail"}` answers, without m8. Decorators applied by hand (plain JS).
'use strict';
require('reflect-metadata');
const Koa = require('koa');
const jose = require('jose');
const { container, injectable } = require('tsyringe');
const { useKoaServer, useContainer, JsonController, Get, Authorized } = require('routing-controllers');
const common = require('./lib/common');

class ItemsService {
  list() {
    return common.ITEMS;
  }
}
injectable()(ItemsService);

class ItemsController {
  constructor(items) {
    this.items = items;
  }

  list() {
    return this.items.list();
  }
}
Reflect.defineMetadata('design:paramtypes', [ItemsService], ItemsController);
injectable()(ItemsController);
const proto = ItemsController.prototype;
Get('/')(proto, 'list', Object.getOwnPropertyDescriptor(proto, 'list'));
Authorized()(proto, 'list', Object.getOwnPropertyDescriptor(proto, 'list'));
JsonController('/items')(ItemsController);

class HttpFailure extends Error {
  constructor(status, body, challenge) {
    super(body);
    this.status = status;
    this.body = body;
    this.challenge = challenge;
  }
}

async function main() {
  const cfg = common.config();
  const key = await common.joseKey(jose, cfg);
  const verifyOptions = { algorithms: [cfg.algorithm], clockTolerance: common.LEEWAY_SECONDS, requiredClaims: ['exp', 'sub', 'jti'] };

  const app = new Koa();
  // Outermost: every error becomes `{"detail"}` (routing-controllers' own handler is off).
  app.use(async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.type = 'application/json';
        ctx.body = common.NOT_FOUND;
      }
    } catch (error) {
      const failure = error instanceof HttpFailure ? error : new HttpFailure(500, JSON.stringify({ detail: 'Internal Server Error' }));
      ctx.status = failure.status;
      if (failure.challenge) ctx.set('WWW-Authenticate', failure.challenge);
      ctx.type = 'application/json';
      ctx.body = failure.body;
    }
  });

  useContainer({ get: (someClass) => container.resolve(someClass) });
  useKoaServer(app, {
    controllers: [ItemsController],
    routePrefix: '/api',
    defaultErrorHandler: false,
    authorizationChecker: async (action) => {
      const token = common.bearerToken(action.request.headers.authorization);
      if (token === undefined) throw new HttpFailure(401, common.NOT_AUTHENTICATED, 'Bearer');
      const user = await common.verifiedUser(jose, token, key, verifyOptions);
      if (user === undefined) throw new HttpFailure(401, common.INVALID, 'Bearer error="invalid_token"');
      if (!user.isActive) throw new HttpFailure(403, common.INACTIVE);
      action.context.state.user = user;
      return true;
    },
  });

  const server = app.listen(cfg.port, '127.0.0.1');
  common.exitOnSignals(() => new Promise((resolve) => server.close(resolve)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
