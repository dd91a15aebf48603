/**
 * Global `@Middleware()`/`@Interceptor()` classes: routing-controllers applies every one in the
 * process to every action, so bootstrap() serves all actions through routing-controllers, and
 * answers as plain routing-controllers does. (Its own file: the decorators are process-global.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Get, Interceptor, JsonController, Middleware, type Action, type InterceptorInterface, type KoaMiddlewareInterface } from 'routing-controllers';
import type { Context } from 'koa';
import { send, startM8, startPlain, type M8Served, type Served } from './differential/servers';

@Middleware({ type: 'before' })
class GlobalStamp implements KoaMiddlewareInterface {
  async use(ctx: Context, next: () => Promise<unknown>): Promise<unknown> {
    ctx.set('X-Before', 'global');
    return next();
  }
}

@Interceptor()
class GlobalWrap implements InterceptorInterface {
  intercept(_action: Action, result: unknown): unknown {
    return { global: result };
  }
}

@JsonController('/g')
class GlobalController {
  @Get('/one')
  one() {
    return { one: 1 };
  }
}

let m8: M8Served;
let plain: Served;
beforeAll(async () => {
  [m8, plain] = await Promise.all([startM8({ controllers: [GlobalController] }), startPlain({ controllers: [GlobalController] })]);
});
afterAll(async () => {
  await Promise.all([m8?.close(), plain?.close()]);
});

describe('global middlewares and interceptors', () => {
  it('apply as with routing-controllers', async () => {
    const [mine, theirs] = await Promise.all([send(m8.url, { path: '/api/g/one' }), send(plain.url, { path: '/api/g/one' })]);
    expect(theirs).toMatchObject({ status: 200, body: { global: { one: 1 } }, headers: { 'x-before': 'global' } });
    expect(mine).toEqual(theirs);
  });

  it('send every action to routing-controllers, saying why', () => {
    expect(m8.app.routes).toEqual([
      {
        method: 'GET',
        path: '/api/g/one',
        action: 'GlobalController.one',
        executor: 'routing-controllers',
        reason: `GlobalController.one uses the global middleware ${GlobalStamp.name}, the global interceptor ${GlobalWrap.name}`,
      },
    ]);
  });
});
