/**
 * What a health check is: anything with a `name` and an async `check()`. A plain object literal
 * and an instance of a class that keeps state (a client, a counter) both fit.
 */
import type { HealthCheckResult } from './result';

/** Handed to every run of a check. */
export interface HealthCheckContext {
  /**
   * Aborted when the check's time is up (the endpoint has already answered `timeout ...`). Pass it
   * to `fetch` or your client so a slow dependency does not pile up work.
   */
  readonly signal: AbortSignal;
}

/**
 * A named check. Return a `HealthCheckResult`, or `true`/`false`; a throw or a timeout is `fail`.
 *
 * @example
 * const cache: HealthCheck = { name: 'cache', check: async () => (await redis.ping()) === 'PONG' };
 *
 * class QueueCheck implements HealthCheck {
 *   readonly name = 'queue';
 *   private failures = 0;
 *   async check(): Promise<HealthCheckResult> { ... }
 * }
 */
export interface HealthCheck {
  /** Shown in the detail body and on the `health.check` event; unique within a `HealthConfig`. */
  readonly name: string;
  check(context: HealthCheckContext): Promise<HealthCheckResult | boolean> | HealthCheckResult | boolean;
}
