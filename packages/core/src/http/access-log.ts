import type { Middleware } from 'koa';
import type { AccessLineWriter, Logger } from '../logger';
import type { M8State } from '../plugin';
import { routeTemplate } from './route-template';

/**
 * One log line per request: request id, method, route template (never the raw path, which may
 * carry ids or tokens), status and duration. Headers and bodies are never logged.
 */
export function accessLog(logger: Logger, write: AccessLineWriter): Middleware<M8State> {
  if (!logger.isLevelEnabled('info')) return function accessLog(_ctx, next) {
    return next();
  };
  return async function accessLog(ctx, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      write(ctx.state.requestId, ctx.method, routeTemplate(ctx), ctx.status, Math.round((performance.now() - started) * 100) / 100);
    }
  };
}
