/**
 * The `auth` group, counted on the consumer side from core's telemetry events (emitted by
 * @m8/auth): token failures by reason, revocation checks by result with their latency, and
 * revocation cache hits and misses, and service-token exchanges by result. Label values outside the known sets are counted as `other`,
 * so a producer bug cannot create series.
 */
import type { AppEvents, AuthFailureReason, RevocationResult, ServiceTokenExchangeResult } from '@m8/core';
import type { Registry } from 'prom-client';
import { FastCounter, FastHistogram, type CounterCell } from './fast-metrics';
import { REVOCATION_DURATION_BUCKETS } from './labels';

export const AUTH_FAILURE_REASONS: readonly AuthFailureReason[] = [
  'missing',
  'malformed',
  'bad_signature',
  'wrong_algorithm',
  'expired',
  'not_yet_valid',
  'invalid_claims',
  'unknown_key',
  'revoked',
  'revocation_unavailable',
  'inactive',
  'forbidden',
];

export const REVOCATION_RESULTS: readonly RevocationResult[] = ['active', 'revoked', 'unverifiable', 'fail_open'];

export const SERVICE_TOKEN_RESULTS: readonly ServiceTokenExchangeResult[] = ['success', 'failure'];

/** Fallback label value for anything outside a known set. */
const OTHER = 'other';

export interface AuthMetricsOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly events: AppEvents;
  /** Pre-create the revocation series at zero (a stateful consumer), so `rate()` works from the start. */
  readonly checksRevocation: boolean;
  /** Pre-create the service-token exchange series at zero (a consumer in the service-token mode). */
  readonly exchangesServiceTokens?: boolean;
}

/**
 * A label → cell table over a closed set of values; anything else shares one `other` cell. With
 * `eager`, every known value's series exists (at zero) before the first event.
 */
function closedSet(counter: FastCounter, label: string, values: readonly string[], eager: boolean): (value: string) => CounterCell {
  const known = new Set(values);
  const cells = new Map<string, CounterCell>();
  const cell = (value: string): CounterCell => {
    const key = known.has(value) ? value : OTHER;
    let found = cells.get(key);
    if (found === undefined) {
      found = counter.series({ [label]: key });
      cells.set(key, found);
    }
    return found;
  };
  if (eager) values.forEach(cell);
  return cell;
}

/** Registers the auth metrics and subscribes to the events; returns the unsubscribe function. */
export function observeAuth(options: AuthMetricsOptions): () => void {
  const { registry, prefix, events, checksRevocation, exchangesServiceTokens = false } = options;
  const failures = new FastCounter(
    `${prefix}auth_token_validation_failures_total`,
    'Access token validation failures by reason',
    ['reason'],
  ).registerIn(registry);
  const checks = new FastCounter(
    `${prefix}auth_revocation_checks_total`,
    'Token revocation checks against the issuer by result (active | revoked | unverifiable | fail_open)',
    ['result'],
  ).registerIn(registry);
  const latency = new FastHistogram(
    `${prefix}auth_revocation_check_duration_seconds`,
    'Latency of token revocation checks in seconds',
    [],
    REVOCATION_DURATION_BUCKETS,
  ).registerIn(registry);
  const cache = new FastCounter(
    `${prefix}auth_revocation_cache_lookups_total`,
    'Revocation cache lookups by result (hit | miss)',
    ['result'],
  ).registerIn(registry);

  const exchanges = new FastCounter(
    `${prefix}auth_service_token_exchanges_total`,
    'Service-token exchanges with the issuer by result (success | failure)',
    ['result'],
  ).registerIn(registry);

  const failure = closedSet(failures, 'reason', AUTH_FAILURE_REASONS, true);
  const check = closedSet(checks, 'result', REVOCATION_RESULTS, checksRevocation);
  const lookup = closedSet(cache, 'result', ['hit', 'miss'], checksRevocation);
  const exchange = closedSet(exchanges, 'result', SERVICE_TOKEN_RESULTS, exchangesServiceTokens);
  const latencyCell = latency.series();

  const off = [
    events.on('auth.failure', (event) => {
      failure(event.reason).value++;
    }),
    events.on('auth.revocation', (event) => {
      check(event.result).value++;
      if (Number.isFinite(event.seconds) && event.seconds >= 0) latencyCell.observe(event.seconds);
    }),
    events.on('auth.revocation_cache', (event) => {
      lookup(event.hit ? 'hit' : 'miss').value++;
    }),
    events.on('auth.service_token', (event) => {
      exchange(event.result).value++;
    }),
  ];
  return () => off.forEach((unsubscribe) => unsubscribe());
}
