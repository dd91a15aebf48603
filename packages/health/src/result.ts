/**
 * `HealthCheckResult`: what a check answers. A check may also answer a bare boolean
 * (`true` → ok, `false` → fail), which `normaliseResult` turns into a result.
 */
import { HealthStatusError } from './errors';
import { HEALTH_STATUSES, HealthStatus } from './status';

/** Extra, non-secret facts about a check (pool size, latency of the dependency...). Redacted on output. */
export type HealthMeta = Readonly<Record<string, unknown>>;

/**
 * One check's verdict.
 *
 * @example
 * return HealthCheckResult.degraded('replica lag 12 s', { lagSeconds: 12 });
 * return HealthCheckResult.fromBool(await cache.ping(), 'cache did not answer');
 */
export class HealthCheckResult {
  constructor(
    readonly status: HealthStatus,
    /** Why the check is not ok; scrubbed of URL credentials before it is shown. */
    readonly error: string | null = null,
    /** Extra facts; values under secret-like keys are shown as `REDACTED`. */
    readonly meta: HealthMeta = {},
  ) {
    if (!HEALTH_STATUSES.includes(status)) {
      throw new HealthStatusError(`HealthCheckResult: status must be one of ${HEALTH_STATUSES.join(', ')}, got ${String(status)}`);
    }
  }

  /** `ok` when `ok` is true, else `fail` with `error` (default `check failed`). */
  static fromBool(ok: boolean, error?: string | null, meta?: HealthMeta): HealthCheckResult {
    return ok ? new HealthCheckResult('ok', null, meta) : new HealthCheckResult('fail', error ?? 'check failed', meta);
  }

  static ok(meta?: HealthMeta): HealthCheckResult {
    return new HealthCheckResult('ok', null, meta);
  }

  static degraded(error?: string | null, meta?: HealthMeta): HealthCheckResult {
    return new HealthCheckResult('degraded', error ?? null, meta);
  }

  static fail(error?: string | null, meta?: HealthMeta): HealthCheckResult {
    return new HealthCheckResult('fail', error ?? 'check failed', meta);
  }

  static unknown(error?: string | null, meta?: HealthMeta): HealthCheckResult {
    return new HealthCheckResult('unknown', error ?? null, meta);
  }

  /** True for `ok` only, as in the Python stack: `degraded` is not ok. */
  get ok(): boolean {
    return this.status === 'ok';
  }
}

const INVALID = 'check returned an invalid result';

/**
 * Accepts what a check returned: a boolean, a `HealthCheckResult`, or a plain object of the same
 * shape (results built by another copy of this package). Anything else is a `fail`, so a buggy
 * check never makes the service look healthy.
 */
export function normaliseResult(value: unknown): HealthCheckResult {
  if (value instanceof HealthCheckResult) return value;
  if (value === true || value === false) return HealthCheckResult.fromBool(value);
  if (typeof value === 'object' && value !== null) {
    const { status, error, meta } = value as { status?: unknown; error?: unknown; meta?: unknown };
    if (typeof status === 'string' && (HEALTH_STATUSES as readonly string[]).includes(status)) {
      return new HealthCheckResult(
        status as HealthStatus,
        typeof error === 'string' ? error : null,
        typeof meta === 'object' && meta !== null ? (meta as HealthMeta) : {},
      );
    }
  }
  return new HealthCheckResult('fail', INVALID);
}
