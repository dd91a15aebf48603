/**
 * `httpDependencyCheck`: "an HTTP dependency answers". A GET through ky (m8's one HTTP client)
 * with its own short time limit, no retry. Credentials in the URL are sent as Basic auth and never
 * appear in the result.
 */
import type KyModule from 'ky';
import type { HealthCheck, HealthCheckContext } from './check';
import { HealthOptionsError, type HealthOptionProblem } from './errors';
import { HealthCheckResult } from './result';
import { errorMessage } from './scrub';

export interface HttpDependencyCheckOptions {
  /** Time limit of the request, in seconds. Default 0.4 (under `HealthConfig`'s 0.5 default), range (0, 60]. */
  readonly timeout?: number;
  /** Which statuses mean "answers". Default: 200–299. Redirects are not followed. */
  readonly expectStatus?: (status: number) => boolean;
  /** Extra request headers (e.g. an API key); never shown. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Status to report when the dependency does not answer as expected: `fail` (default), `degraded` or `unknown`. */
  readonly onFailure?: 'fail' | 'degraded' | 'unknown';
}

const FAILURE_STATUSES = ['fail', 'degraded', 'unknown'];

/**
 * A check that GETs `url` and is `ok` when the answer's status is expected.
 *
 * @example
 * new HealthConfig({ checks: [httpDependencyCheck('issuer', 'http://auth:8000/api/ping', { timeout: 0.3 })] })
 * @throws HealthOptionsError (`ERR_M8_HEALTH_OPTIONS`) for a bad URL or options (the URL is never echoed).
 */
export function httpDependencyCheck(name: string, url: string | URL, options: HttpDependencyCheckOptions = {}): HealthCheck {
  const problems: HealthOptionProblem[] = [];
  if (typeof name !== 'string' || name.trim() === '') problems.push({ option: 'name', problem: 'must be a non-empty string' });
  const target = parseTarget(url, problems);
  const timeout = options.timeout ?? 0.4;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > 60) {
    problems.push({ option: 'timeout', problem: 'must be a number of seconds above 0 and at most 60' });
  }
  if (options.expectStatus !== undefined && typeof options.expectStatus !== 'function') {
    problems.push({ option: 'expectStatus', problem: 'must be a function (status) => boolean' });
  }
  const onFailure = options.onFailure ?? 'fail';
  if (!FAILURE_STATUSES.includes(onFailure)) problems.push({ option: 'onFailure', problem: 'must be fail, degraded or unknown' });
  if (problems.length > 0 || target === undefined) throw new HealthOptionsError(problems, `httpDependencyCheck("${String(name)}")`);

  // Loaded by the first check built, not by importing @m8/health: a service without HTTP checks
  // never holds ky's ≈4 MiB (bench/README.md, *Start-up and memory*).
  const ky = (require('ky') as { default: typeof KyModule }).default;
  const timeoutMs = Math.round(timeout * 1000);
  const expect = options.expectStatus ?? ((status: number) => status >= 200 && status < 300);
  const headers = Object.freeze({ ...options.headers, ...target.authorization });
  const meta = Object.freeze({ url: target.shown });
  const failed = (error: string, extra?: Record<string, unknown>): HealthCheckResult =>
    new HealthCheckResult(onFailure, error, extra === undefined ? meta : { ...meta, ...extra });

  return {
    name,
    async check({ signal }: HealthCheckContext): Promise<HealthCheckResult> {
      const own = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await ky.get(target.href, {
          headers,
          redirect: 'manual',
          signal: AbortSignal.any([signal, own]),
          retry: 0,
          timeout: false, // `own` is the time limit, so the error can say which one fired
          throwHttpErrors: false,
        });
      } catch (error) {
        if (own.aborted) return failed(`timeout ${timeoutMs}ms`);
        return failed(describeFetchError(error));
      }
      // The body is not needed; cancelling frees the connection at once.
      await response.body?.cancel().catch(() => undefined);
      if (expect(response.status)) return HealthCheckResult.ok({ ...meta, status_code: response.status });
      return failed(`unexpected HTTP status ${response.status}`, { status_code: response.status });
    },
  };
}

interface Target {
  /** The URL fetched, without credentials. */
  readonly href: string;
  /** The URL shown in `meta`, credentials masked. */
  readonly shown: string;
  readonly authorization: Record<string, string>;
}

function parseTarget(url: unknown, problems: HealthOptionProblem[]): Target | undefined {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    problems.push({ option: 'url', problem: 'must be an absolute http(s) URL' });
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    problems.push({ option: 'url', problem: 'must be an absolute http(s) URL' });
    return undefined;
  }
  // fetch() refuses URLs with credentials; send them as Basic auth instead.
  const authorization: Record<string, string> = {};
  const masked = parsed.username !== '' || parsed.password !== '';
  if (masked) {
    const user = decodeURIComponent(parsed.username);
    const pass = decodeURIComponent(parsed.password);
    authorization.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    parsed.username = '';
    parsed.password = '';
  }
  const href = parsed.href;
  return { href, shown: masked ? href.replace('://', '://***:***@') : href, authorization };
}

/** undici says "fetch failed" and keeps the useful part (ECONNREFUSED...) in `cause`. */
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause !== undefined && cause !== null) {
    if (typeof cause.code === 'string') return errorMessage(`request failed: ${cause.code}`);
    if (typeof cause.message === 'string') return errorMessage(`request failed: ${cause.message}`);
  }
  return errorMessage(error);
}
