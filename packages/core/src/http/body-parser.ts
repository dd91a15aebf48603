import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';

/**
 * JSON and form bodies up to `limitBytes` (413 beyond). routing-controllers mounts its own parser
 * with default limits; it skips a request whose body is already parsed, so ours decides.
 */
export function jsonBody(limitBytes: number): Middleware {
  const limit = `${limitBytes}b`;
  return bodyParser({ enableTypes: ['json', 'form'], jsonLimit: limit, formLimit: limit, strict: true }) as Middleware;
}
