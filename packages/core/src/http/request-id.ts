import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { M8State } from '../plugin';

/** A client-sent id is kept only when it is short and made of safe characters (no log or header injection). */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a sane `X-Request-Id` or generates one; echoes it on every response. */
export function requestId(): Middleware<M8State> {
  return function requestId(ctx, next) {
    const given = ctx.get('X-Request-Id');
    const id = given !== '' && SANE_ID.test(given) ? given : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    return next();
  };
}
