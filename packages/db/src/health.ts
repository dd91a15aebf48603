/** The database health check's result and its plumbing (timeout, scrubbing). */
import { DbDeadlineError } from './errors';

/**
 * What `engine.healthCheck()` answers. Structurally a result @m8/health accepts
 * (`{ status, error, meta }`), so `engine.asHealthCheck()` plugs straight into a `HealthConfig`.
 */
export interface DbHealthResult {
  readonly status: 'ok' | 'fail';
  /** `status === 'ok'` (the same field @m8/health's results carry). */
  readonly ok: boolean;
  /** Round-trip time of `SELECT 1` (or of the attempt), in milliseconds. */
  readonly latencyMs: number;
  /** Why it failed, with credentials masked; null when ok. */
  readonly error: string | null;
  readonly meta: { readonly driver: string; readonly latencyMs: number };
}

/** Options of one `healthCheck()` call. */
export interface DbHealthCheckOptions {
  /** Milliseconds before the check answers `fail` (default: the engine's `healthCheckTimeoutMs`, 2 000). */
  readonly timeoutMs?: number;
  /** Aborts the wait (the health endpoint passes its per-check signal). */
  readonly signal?: AbortSignal;
}

/** The shape of an @m8/health `HealthCheck`, declared here so @m8/db need not depend on it. */
export interface DbHealthCheck {
  readonly name: string;
  check(context?: { readonly signal?: AbortSignal }): Promise<DbHealthResult>;
}

/** Resolves with `work`, or rejects after `timeoutMs` or when `signal` aborts, whichever comes first. */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new DbDeadlineError(`timeout ${timeoutMs}ms`))), timeoutMs);
    timer.unref();
    const onAbort = (): void => finish(() => reject(new DbDeadlineError('aborted')));
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/**
 * A readable one-line description of a driver error. Node's `connect ECONNREFUSED` against
 * `localhost` is an AggregateError with an empty message: take the first inner error then.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    if (error.message) return error.message;
    const inner = (error as { errors?: unknown[] }).errors?.[0];
    if (inner !== undefined) return describeError(inner);
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.name;
  }
  return String(error);
}
