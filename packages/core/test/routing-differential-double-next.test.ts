/**
 * A global middleware that calls `next()` twice: Koa's composition refuses the second call ("next()
 * called multiple times"), so the action runs once and the request fails. The routing stage composes
 * routing-controllers' middlewares with koa-compose itself, so m8 refuses it the same way, instead of
 * running the action a second time. (Its own file: global middlewares are process-global.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Get, JsonController, Middleware, type KoaMiddlewareInterface } from 'routing-controllers';
import type { Context } from 'koa';
import { send, startM8, startPlain, type M8Served, type Served } from './differential/servers';

let runs = 0;

@Middleware({ type: 'before' })
class CallsNextTwice implements KoaMiddlewareInterface {
  async use(_ctx: Context, next: () => Promise<unknown>): Promise<unknown> {
    await next();
    return next();
  }
}

@JsonController('/twice')
class TwiceController {
  @Get('/')
  run() {
    runs += 1;
    return { runs };
  }
}

let m8: M8Served;
let plain: Served;
beforeAll(async () => {
  [m8, plain] = await Promise.all([startM8({ controllers: [TwiceController] }), startPlain({ controllers: [TwiceController] })]);
});
afterAll(async () => {
  await Promise.all([m8?.close(), plain?.close()]);
});

describe('a middleware that calls next() twice', () => {
  it('fails the request after one run of the action, as under routing-controllers', async () => {
    runs = 0;
    const theirs = await send(plain.url, { path: '/api/twice/' });
    expect(runs).toBe(1);
    runs = 0;
    const mine = await send(m8.url, { path: '/api/twice/' });
    expect(runs).toBe(1);
    expect(theirs.status).toBe(500);
    expect(mine).toMatchObject({ status: 500, body: { detail: 'Internal Server Error' } });
    expect(JSON.stringify(mine.body)).not.toContain('next()');
    // The global middleware sends the action through routing-controllers, inside the routing stage's composition.
    expect(m8.app.routes).toEqual([expect.objectContaining({ path: '/api/twice', executor: 'routing-controllers', reason: expect.stringContaining(CallsNextTwice.name) })]);
  });
});
