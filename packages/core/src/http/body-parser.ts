import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';

/**
 * JSON and form bodies up to `limitBytes` (413 beyond). routing-controllers mounts its own parser
 * with default limits; it skips a request whose body is already parsed, so ours decides.
 */
export function jsonBody(limitBytes: number): Middleware {
  const limit = `${limitBytes}b`;
  const parse = bodyParser({ enableTypes: ['json', 'form'], jsonLimit: limit, formLimit: limit, strict: true }) as Middleware;
  return function jsonBody(ctx, next) {
    // Most requests (GETs) carry no body at all: answer what the parser would, without its work.
    const headers = ctx.req.headers;
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
      (ctx.request as { body?: unknown }).body = {};
      return next();
    }
    return parse(ctx, next);
  };
}
