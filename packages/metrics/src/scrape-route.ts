/**
 * `GET /metrics`: the Prometheus text exposition of one app's registry. Served at the root, never
 * under `API_PREFIX` (scrapers expect it there), and never part of the OpenAPI document (core
 * keeps internal routes out of it).
 */
import type { InternalRoute, M8Context } from '@m8/core';
import { safeEqual } from '@m8/core/internal';
import type { Registry } from 'prom-client';

/** Where the exposition is served. */
export const METRICS_PATH = '/metrics';

/**
 * The bearer credential of an `Authorization` header, or undefined. The scheme is
 * case-insensitive (RFC 7235); surrounding spaces are not part of the credential.
 */
export function bearerCredential(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * The internal route serving `registry`. With a `credential`, a scrape must send
 * `Authorization: Bearer <credential>` (compared in constant time); anything else gets
 * 401 `{"detail": "Not authenticated"}` with `WWW-Authenticate: Bearer` (docs/interop.md §3).
 * `exposition` renders the text (default: this registry; in a cluster worker: every worker's).
 */
export function metricsRoute(registry: Registry, credential: string | undefined, exposition: () => Promise<string> = () => registry.metrics()): InternalRoute {
  return {
    method: 'GET',
    paths: [METRICS_PATH],
    template: METRICS_PATH,
    handler: async (ctx: M8Context) => {
      if (credential !== undefined && !safeEqual(bearerCredential(ctx.get('authorization') || undefined), credential)) {
        // Answered here rather than thrown as an HttpProblem: the body must not depend on which
        // copy of @m8/core's error layer (same class identity or not) sits above this route.
        ctx.status = 401;
        ctx.set('WWW-Authenticate', 'Bearer');
        ctx.body = { detail: 'Not authenticated' };
        return;
      }
      const text = await exposition();
      ctx.status = 200;
      ctx.set('Content-Type', registry.contentType);
      // A scrape is a point-in-time reading; no proxy should ever answer it from a cache.
      ctx.set('Cache-Control', 'no-store');
      ctx.body = text;
    },
  };
}
