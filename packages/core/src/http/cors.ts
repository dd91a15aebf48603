/**
 * CORS exactly as docs/interop.md §6: allowed origins only, credentials allowed, fixed methods and
 * headers, max-age 3600. A disallowed origin never gets an `Access-Control-Allow-*` header, not
 * even on a preflight. Headers are set before the request runs, so error answers carry them and
 * a browser can read a 401.
 */
import type { Middleware } from 'koa';

export const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const CORS_HEADERS = ['Authorization', 'Content-Type', 'X-Requested-With'] as const;
const ALLOW_METHODS = CORS_METHODS.join(', ');
const ALLOW_HEADERS = CORS_HEADERS.join(', ');
const ALLOWED_HEADER_SET = new Set(CORS_HEADERS.map((h) => h.toLowerCase()));
const ALLOWED_METHOD_SET = new Set<string>(CORS_METHODS);

export function cors(allowedOrigins: readonly string[]): Middleware {
  const allowed = new Set(allowedOrigins);
  return function cors(ctx, next) {
    const origin = ctx.get('Origin');
    if (origin === '') return next();
    ctx.vary('Origin');
    const preflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    if (!allowed.has(origin)) {
      if (!preflight) return next();
      return refuse(ctx, 'Disallowed CORS origin');
    }
    if (preflight) return answerPreflight(ctx, origin);
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Access-Control-Allow-Credentials', 'true');
    ctx.set('Access-Control-Expose-Headers', 'X-Request-Id');
    return next();
  };
}

function answerPreflight(ctx: Parameters<Middleware>[0], origin: string): void {
  if (!ALLOWED_METHOD_SET.has(ctx.get('Access-Control-Request-Method').toUpperCase())) {
    return refuse(ctx, 'Disallowed CORS method');
  }
  const requested = ctx.get('Access-Control-Request-Headers');
  if (requested !== '' && !requested.split(',').every((h) => h.trim() === '' || ALLOWED_HEADER_SET.has(h.trim().toLowerCase()))) {
    return refuse(ctx, 'Disallowed CORS headers');
  }
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Allow-Credentials', 'true');
  ctx.set('Access-Control-Allow-Methods', ALLOW_METHODS);
  ctx.set('Access-Control-Allow-Headers', ALLOW_HEADERS);
  ctx.set('Access-Control-Max-Age', '3600');
  ctx.status = 204;
}

function refuse(ctx: Parameters<Middleware>[0], detail: string): void {
  ctx.status = 400;
  ctx.body = { detail };
}
