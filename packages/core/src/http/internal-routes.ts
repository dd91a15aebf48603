import type { Middleware } from 'koa';
import { M8Error } from '../m8-error';
import type { InternalRoute, M8State } from '../plugin';

/** Two plugins (or one twice) serve the same internal path. */
export class DuplicateRouteError extends M8Error {
  static override readonly code = 'ERR_M8_DUPLICATE_ROUTE';
  override readonly code = DuplicateRouteError.code;
}

/**
 * Serves the framework's own routes (health, ping, metrics, docs) by exact path, ahead of the
 * controllers and the body parser: a probe costs one Map lookup.
 */
export function internalRoutes(routes: readonly InternalRoute[]): Middleware<M8State> {
  const table = new Map<string, InternalRoute>();
  for (const route of routes) {
    for (const path of route.paths) {
      const key = `${route.method} ${path}`;
      if (table.has(key)) throw new DuplicateRouteError(`Two internal routes answer ${key}; each path may be served once.`);
      table.set(key, route);
    }
  }
  return function internalRoutes(ctx, next) {
    const route = table.get(`${ctx.method === 'HEAD' ? 'GET' : ctx.method} ${ctx.path}`);
    if (route === undefined) return next();
    ctx.state.routeTemplate = route.template;
    return route.handler(ctx);
  };
}
