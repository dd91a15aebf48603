/**
 * CORS exactly as docs/interop.md §6: allowed origins only, credentials allowed, fixed methods and
 * headers, max-age 3600. A disallowed origin never gets an `Access-Control-Allow-*` header, not
 * even on a preflight. Headers are set before the request runs, so error answers carry them and
 * a browser can read a 401.
 */
import koaCors from '@koa/cors';
import type { Middleware } from 'koa';

export const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const CORS_HEADERS = ['Authorization', 'Content-Type', 'X-Requested-With'] as const;
const ALLOWED_HEADER_SET = new Set(CORS_HEADERS.map((h) => h.toLowerCase()));
const ALLOWED_METHOD_SET = new Set<string>(CORS_METHODS);

/**
 * The headers themselves come from @koa/cors. In front of it, a thin check answers what it does
 * not: no `Origin` → nothing to do; a disallowed origin → no CORS header at all, and a preflight
 * from it (or asking for a method or header outside the fixed lists) → 400 `{"detail"}`.
 */
export function cors(allowedOrigins: readonly string[]): Middleware {
  const allowed = new Set(allowedOrigins);
  const headers = koaCors({
    origin: (ctx) => ctx.get('Origin'), // reached only for an allowed origin
    credentials: true,
    allowMethods: CORS_METHODS.join(', '),
    allowHeaders: CORS_HEADERS.join(', '),
    exposeHeaders: 'X-Request-Id',
    maxAge: 3600,
  });
  return function cors(ctx, next) {
    const origin = ctx.get('Origin');
    if (origin === '') return next();
    const preflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    if (!allowed.has(origin)) {
      ctx.vary('Origin');
      if (!preflight) return next();
      return refuse(ctx, 'Disallowed CORS origin');
    }
    if (preflight) {
      const problem = preflightProblem(ctx);
      if (problem !== undefined) {
        ctx.vary('Origin');
        return refuse(ctx, problem);
      }
    }
    return headers(ctx, next);
  };
}

function preflightProblem(ctx: Parameters<Middleware>[0]): string | undefined {
  if (!ALLOWED_METHOD_SET.has(ctx.get('Access-Control-Request-Method').toUpperCase())) return 'Disallowed CORS method';
  const requested = ctx.get('Access-Control-Request-Headers');
  if (requested !== '' && !requested.split(',').every((h) => h.trim() === '' || ALLOWED_HEADER_SET.has(h.trim().toLowerCase()))) {
    return 'Disallowed CORS headers';
  }
  return undefined;
}

function refuse(ctx: Parameters<Middleware>[0], detail: string): void {
  ctx.status = 400;
  ctx.body = { detail };
}
