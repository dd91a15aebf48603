import type { Middleware } from 'koa';
import type { Logger } from '../logger';
import type { M8State } from '../plugin';
import { routeTemplate } from './route-template';

/**
 * One log line per request: request id, method, route template (never the raw path, which may
 * carry ids or tokens), status and duration. Headers and bodies are never logged.
 */
export function accessLog(logger: Logger): Middleware<M8State> {
  if (!logger.isLevelEnabled('info')) return (_ctx, next) => next();
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.info(
        {
          requestId: ctx.state.requestId,
          method: ctx.method,
          route: routeTemplate(ctx),
          status: ctx.status,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
        },
        'request',
      );
    }
  };
}
