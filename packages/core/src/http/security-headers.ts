import type { Middleware } from 'koa';

/** Set before anything else runs, so error answers carry them too. Koa and Node name no stack in headers. */
export function securityHeaders(): Middleware {
  return function securityHeaders(ctx, next) {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    return next();
  };
}
