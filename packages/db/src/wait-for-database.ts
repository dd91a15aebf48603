/** `waitForDatabase()`: retry `SELECT 1` until the database answers (the logic of `m8-prestart`). */
import { setTimeout as sleep } from 'node:timers/promises';
import { DbOptionsError, DbUnavailableError } from './errors';
import type { DbHealthCheckOptions, DbHealthResult } from './health';

/** Anything with the engine's health check (a `DbEngine`, or a test double). */
export interface HealthCheckable {
  healthCheck(options?: DbHealthCheckOptions): Promise<DbHealthResult>;
}

export interface WaitForDatabaseOptions {
  /** Attempts in all (not retries after the first). Default 300. */
  readonly retries?: number;
  /** Milliseconds between attempts. Default 5 000 (300 × 5 s = 25 minutes, the Python stack's pre-start defaults). */
  readonly intervalMs?: number;
  /** Milliseconds one attempt may take before it counts as failed. Default 5 000. */
  readonly attemptTimeoutMs?: number;
  /** Called after each failed attempt that will be retried (log progress here). */
  readonly onRetry?: (info: { readonly attempt: number; readonly retries: number; readonly error: string; readonly nextInMs: number }) => void;
  /** Stops waiting (rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

export interface WaitForDatabaseResult {
  /** The attempt that succeeded, from 1. */
  readonly attempts: number;
  /** Round trip of the successful `SELECT 1`, in milliseconds. */
  readonly latencyMs: number;
}

/**
 * Resolves once `engine.healthCheck()` answers `ok`; rejects with `DbUnavailableError`
 * (`ERR_M8_DB_UNAVAILABLE`, last error scrubbed) when every attempt failed.
 *
 * @example
 * await waitForDatabase(engine, { retries: 10, intervalMs: 1000 });
 */
export async function waitForDatabase(engine: HealthCheckable, options: WaitForDatabaseOptions = {}): Promise<WaitForDatabaseResult> {
  const retries = positiveInt(options.retries ?? 300, 'retries');
  const intervalMs = nonNegative(options.intervalMs ?? 5_000, 'intervalMs');
  const timeoutMs = positiveInt(options.attemptTimeoutMs ?? 5_000, 'attemptTimeoutMs');
  let lastError = 'no attempt made';
  for (let attempt = 1; attempt <= retries; attempt++) {
    options.signal?.throwIfAborted();
    const result = await engine.healthCheck(options.signal ? { timeoutMs, signal: options.signal } : { timeoutMs });
    if (result.status === 'ok') return { attempts: attempt, latencyMs: result.latencyMs };
    lastError = result.error ?? 'check failed';
    if (attempt < retries) {
      options.onRetry?.({ attempt, retries, error: lastError, nextInMs: intervalMs });
      await sleep(intervalMs, undefined, options.signal ? { signal: options.signal } : {}).catch((error: unknown) => {
        options.signal?.throwIfAborted(); // the caller's reason, not timers' generic AbortError
        throw error;
      });
    }
  }
  throw new DbUnavailableError(retries, lastError);
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new DbOptionsError(`waitForDatabase: ${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new DbOptionsError(`waitForDatabase: ${name} must be a number ≥ 0, got ${value}`);
  return value;
}
