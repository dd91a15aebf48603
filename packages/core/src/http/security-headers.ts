/**
 * Security headers, tiered by environment (docs/interop.md §8), set before anything else runs so error
 * answers carry them too. Koa and Node name no stack in headers.
 * - always: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`;
 * - `staging`/`production`: also `Referrer-Policy` and a `Permissions-Policy` that denies the
 *   powerful browser features an API never needs;
 * - opt-in, never in `local` (a browser would pin HSTS to localhost): HSTS and a CSP that lets an
 *   API answer load nothing. A route that serves a page (the docs) sets its own policy, which
 *   replaces this one;
 * - `SECURITY_HEADERS_ENABLED=false`: none of them (a proxy in front sets its own).
 */
import type { Middleware } from 'koa';
import type { ConsumerServiceSettings } from '../settings/consumer-settings';

export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
  'interest-cohort=()',
].join(', ');

export const HSTS = 'max-age=31536000; includeSubDomains';
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

type HeaderSettings = Pick<
  ConsumerServiceSettings,
  'ENVIRONMENT' | 'isProductionLike' | 'SECURITY_HEADERS_ENABLED' | 'SECURITY_HSTS_ENABLED' | 'SECURITY_CSP_ENABLED'
>;

/** The headers every answer gets under `settings`, in the order they are set. */
export function securityHeaderSet(settings: HeaderSettings): ReadonlyArray<readonly [string, string]> {
  if (!settings.SECURITY_HEADERS_ENABLED) return [];
  const headers: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
  ];
  if (settings.isProductionLike) {
    headers.push(['Referrer-Policy', 'strict-origin-when-cross-origin'], ['Permissions-Policy', PERMISSIONS_POLICY]);
  }
  const deployed = settings.ENVIRONMENT !== 'local';
  if (deployed && settings.SECURITY_HSTS_ENABLED) headers.push(['Strict-Transport-Security', HSTS]);
  if (deployed && settings.SECURITY_CSP_ENABLED) headers.push(['Content-Security-Policy', API_CONTENT_SECURITY_POLICY]);
  return Object.freeze(headers);
}

export function securityHeaders(settings: HeaderSettings): Middleware {
  const headers = securityHeaderSet(settings);
  return function securityHeaders(ctx, next) {
    for (const [name, value] of headers) ctx.set(name, value);
    return next();
  };
}
