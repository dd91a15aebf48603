/**
 * `ALLOWED_HOSTS` (docs/interop.md §8): a request whose `Host` is not listed is answered 400 before any
 * route runs, so a forged host can never reach a handler that builds links from it. Entries are
 * exact host names or `*.example.com` (any subdomain, not the apex); the port is ignored. Outside
 * production `localhost` and `127.0.0.1` are always allowed, so local probes and tests keep working.
 */
import type { Middleware } from 'koa';
import { HttpProblem } from '../errors';
import type { ConsumerServiceSettings } from '../settings/consumer-settings';

const LOCAL_HOSTS = ['localhost', '127.0.0.1'];

/** 400 `{"detail": "Invalid host header"}`. */
export class InvalidHostProblem extends HttpProblem {
  constructor() {
    super(400, 'Invalid host header', { code: 'ERR_M8_INVALID_HOST' });
    this.name = 'InvalidHostProblem';
  }
}

/** The host name of a `Host` header value, lower case, without its port (`[::1]:80` → `[::1]`). */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(0, value.indexOf(']') + 1);
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

/** A predicate over host names for the given patterns (`*` alone admits every host). */
export function hostMatcher(patterns: readonly string[]): (host: string) => boolean {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  let any = false;
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase();
    if (pattern === '*') any = true;
    else if (pattern.startsWith('*.')) suffixes.push(pattern.slice(1));
    else exact.add(pattern);
  }
  return (host) => any || exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

/** The middleware, or undefined when `ALLOWED_HOSTS` is empty (no check at all). */
export function trustedHosts(settings: Pick<ConsumerServiceSettings, 'ALLOWED_HOSTS' | 'ENVIRONMENT'>): Middleware | undefined {
  if (settings.ALLOWED_HOSTS.length === 0) return undefined;
  const patterns = settings.ENVIRONMENT === 'production' ? settings.ALLOWED_HOSTS : [...settings.ALLOWED_HOSTS, ...LOCAL_HOSTS];
  const allowed = hostMatcher(patterns);
  return function trustedHosts(ctx, next) {
    const header = ctx.get('host');
    if (header === '' || !allowed(hostName(header))) throw new InvalidHostProblem();
    return next();
  };
}
