/**
 * Where auth reports what happened: core's typed events (metrics listen) and the app logger.
 * Both arrive in `setup()`; before that (a verifier used on its own) reports go nowhere.
 * Event objects are built once: emitting on the request path allocates nothing.
 */
import type { AppEvents, AuthFailureReason, Logger, RevocationResult, ServiceTokenExchangeResult } from '@m8/core';

const FAILURES = new Map<AuthFailureReason, { readonly reason: AuthFailureReason }>();
const CACHE_HIT = Object.freeze({ hit: true });
const CACHE_MISS = Object.freeze({ hit: false });
const EXCHANGES = { success: Object.freeze({ result: 'success' as const }), failure: Object.freeze({ result: 'failure' as const }) };

function failureEvent(reason: AuthFailureReason): { readonly reason: AuthFailureReason } {
  let event = FAILURES.get(reason);
  if (event === undefined) {
    event = Object.freeze({ reason });
    FAILURES.set(reason, event);
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

  /**
   * A refused request: the event for metrics, and at `debug` one log line with the reason code and
   * `claim`, the claim at fault when a claim check refused the token (never the token itself).
   */
  failure(reason: AuthFailureReason, claim?: string): void {
    this.events?.emit('auth.failure', failureEvent(reason));
    this.logger?.debug({ event: 'token_rejected', reason, ...(claim === undefined ? {} : { claim }) }, 'token rejected');
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

  serviceTokenExchange(result: ServiceTokenExchangeResult): void {
    this.events?.emit('auth.service_token', EXCHANGES[result]);
  }

  warn(fields: Record<string, unknown>, message: string): void {
    this.logger?.warn(fields, message);
  }

  debug(fields: Record<string, unknown>, message: string): void {
    this.logger?.debug(fields, message);
  }
}
