/**
 * Where auth reports what happened: core's typed events (metrics listen) and the app logger.
 * Both arrive in `setup()`; before that (a verifier used on its own) reports go nowhere.
 * Event objects are built once: emitting on the request path allocates nothing.
 */
import type { AppEvents, AuthFailureReason, Logger, RevocationResult } from '@m8/core';

type FailureEvent = { readonly reason: AuthFailureReason; readonly claim?: string };
// Keyed by reason and claim: both come from fixed sets in this package, so the map stays small.
const FAILURES = new Map<string, FailureEvent>();
const CACHE_HIT = Object.freeze({ hit: true });
const CACHE_MISS = Object.freeze({ hit: false });

function failureEvent(reason: AuthFailureReason, claim: string | undefined): FailureEvent {
  const key = claim === undefined ? reason : `${reason}:${claim}`;
  let event = FAILURES.get(key);
  if (event === undefined) {
    event = Object.freeze(claim === undefined ? { reason } : { reason, claim });
    FAILURES.set(key, event);
  }
  return event;
}

/** The sink auth components report to. */
export class AuthTelemetry {
  private events: AppEvents | undefined;
  private logger: Pick<Logger, 'warn' | 'debug'> | undefined;

  /** Called by `setup()` with the app's hub and logger. */
  attach(events: AppEvents, logger: Pick<Logger, 'warn' | 'debug'>): void {
    this.events = events;
    this.logger = logger;
  }

  /** `claim`: the claim at fault, when a claim check refused the token. */
  failure(reason: AuthFailureReason, claim?: string): void {
    this.events?.emit('auth.failure', failureEvent(reason, claim));
  }

  /** True when someone listens to revocation timings (lets the client skip the clock). */
  wantsRevocationTimings(): boolean {
    return this.events?.has('auth.revocation') ?? false;
  }

  revocation(result: RevocationResult, seconds: number): void {
    this.events?.emit('auth.revocation', { result, seconds });
  }

  revocationCache(hit: boolean): void {
    this.events?.emit('auth.revocation_cache', hit ? CACHE_HIT : CACHE_MISS);
  }

  warn(fields: Record<string, unknown>, message: string): void {
    this.logger?.warn(fields, message);
  }

  debug(fields: Record<string, unknown>, message: string): void {
    this.logger?.debug(fields, message);
  }
}
