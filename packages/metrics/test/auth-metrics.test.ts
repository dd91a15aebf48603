import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthFailureReason, RevocationResult } from '@m8/core';
import { AUTH_FAILURE_REASONS, REVOCATION_RESULTS } from '../src/auth-metrics';
import { valueOf } from './support/exposition';
import { metricsSettings, startMetricsApp, type MetricsApp } from './support/metrics-app';

const FAILURES = 'api_auth_token_validation_failures_total';
const CHECKS = 'api_auth_revocation_checks_total';
const LATENCY = 'api_auth_revocation_check_duration_seconds';
const CACHE = 'api_auth_revocation_cache_lookups_total';
const EXCHANGES = 'api_auth_service_token_exchanges_total';

describe('auth group, stateful consumer in the service-token mode', () => {
  let t: MetricsApp;
  beforeAll(async () => {
    t = await startMetricsApp({
      settings: metricsSettings({
        TOKEN_MODE: 'stateful',
        INTROSPECTION_URL: 'http://127.0.0.1:9/jti-status',
        PRIVATE_API_SECRET: 'private-api-secret-for-tests',
        INTERNAL_CLIENT_ID: 'orders',
        SERVICE_TOKEN_URL: 'http://127.0.0.1:9/service-token',
        METRICS_GROUPS: 'auth',
      }),
    });
  });
  afterAll(() => t.close());

  it('exposes both exchange results at zero, then counts auth.service_token events', async () => {
    const before = await t.scrape();
    expect(valueOf(before, EXCHANGES, { result: 'success' })).toBe(0);
    expect(valueOf(before, EXCHANGES, { result: 'failure' })).toBe(0);
    t.app.events.emit('auth.service_token', { result: 'success' });
    t.app.events.emit('auth.service_token', { result: 'failure' });
    t.app.events.emit('auth.service_token', { result: 'failure' });
    const after = await t.scrape();
    expect(valueOf(after, EXCHANGES, { result: 'success' })).toBe(1);
    expect(valueOf(after, EXCHANGES, { result: 'failure' })).toBe(2);
  });
});

describe('auth group, stateful consumer', () => {
  let t: MetricsApp;
  beforeAll(async () => {
    t = await startMetricsApp({
      settings: metricsSettings({
        TOKEN_MODE: 'stateful',
        INTROSPECTION_URL: 'http://127.0.0.1:9/jti-status',
        PRIVATE_API_SECRET: 'private-api-secret-for-tests',
        METRICS_GROUPS: 'auth',
      }),
    });
  });
  afterAll(() => t.close());

  it('exposes every known reason and result at zero before any event', async () => {
    const exposition = await t.scrape();
    for (const reason of AUTH_FAILURE_REASONS) expect(valueOf(exposition, FAILURES, { reason })).toBe(0);
    for (const result of REVOCATION_RESULTS) expect(valueOf(exposition, CHECKS, { result })).toBe(0);
    expect(valueOf(exposition, CACHE, { result: 'hit' })).toBe(0);
    expect(valueOf(exposition, CACHE, { result: 'miss' })).toBe(0);
    expect(valueOf(exposition, `${LATENCY}_count`)).toBe(0);
  });

  it('counts token failures by reason from auth.failure events', async () => {
    t.app.events.emit('auth.failure', { reason: 'expired' });
    t.app.events.emit('auth.failure', { reason: 'expired' });
    t.app.events.emit('auth.failure', { reason: 'bad_signature' });
    const exposition = await t.scrape();
    expect(valueOf(exposition, FAILURES, { reason: 'expired' })).toBe(2);
    expect(valueOf(exposition, FAILURES, { reason: 'bad_signature' })).toBe(1);
    expect(valueOf(exposition, FAILURES, { reason: 'missing' })).toBe(0);
  });

  it('counts revocation checks by result and observes their latency', async () => {
    t.app.events.emit('auth.revocation', { result: 'active', seconds: 0.004 });
    t.app.events.emit('auth.revocation', { result: 'revoked', seconds: 0.02 });
    t.app.events.emit('auth.revocation', { result: 'unverifiable', seconds: 3 });
    const exposition = await t.scrape();
    expect(valueOf(exposition, CHECKS, { result: 'active' })).toBe(1);
    expect(valueOf(exposition, CHECKS, { result: 'revoked' })).toBe(1);
    expect(valueOf(exposition, CHECKS, { result: 'unverifiable' })).toBe(1);
    expect(valueOf(exposition, CHECKS, { result: 'fail_open' })).toBe(0);
    expect(valueOf(exposition, `${LATENCY}_count`)).toBe(3);
    expect(valueOf(exposition, `${LATENCY}_bucket`, { le: '0.005' })).toBe(1);
    expect(valueOf(exposition, `${LATENCY}_bucket`, { le: '0.025' })).toBe(2);
    expect(valueOf(exposition, `${LATENCY}_bucket`, { le: '2.5' })).toBe(2);
    expect(valueOf(exposition, `${LATENCY}_bucket`, { le: '5' })).toBe(3);
    expect(valueOf(exposition, `${LATENCY}_sum`)).toBeCloseTo(3.024);
  });

  it('counts revocation cache hits and misses', async () => {
    t.app.events.emit('auth.revocation_cache', { hit: true });
    t.app.events.emit('auth.revocation_cache', { hit: true });
    t.app.events.emit('auth.revocation_cache', { hit: false });
    const exposition = await t.scrape();
    expect(valueOf(exposition, CACHE, { result: 'hit' })).toBe(2);
    expect(valueOf(exposition, CACHE, { result: 'miss' })).toBe(1);
  });

  it('folds an unknown reason or result into other, so a producer bug cannot mint series', async () => {
    for (let i = 0; i < 50; i++) {
      t.app.events.emit('auth.failure', { reason: `made-up-${i}` as AuthFailureReason });
      t.app.events.emit('auth.revocation', { result: `odd-${i}` as RevocationResult, seconds: Number.NaN });
    }
    const exposition = await t.scrape();
    expect(valueOf(exposition, FAILURES, { reason: 'other' })).toBe(50);
    expect(valueOf(exposition, CHECKS, { result: 'other' })).toBe(50);
    expect(exposition.samples.filter((s) => s.name === FAILURES)).toHaveLength(AUTH_FAILURE_REASONS.length + 1);
    expect(valueOf(exposition, `${LATENCY}_count`)).toBe(3); // NaN latencies are not observed
  });

  it('stops listening once the app is closed', async () => {
    const other = await startMetricsApp({ settings: metricsSettings({ METRICS_GROUPS: 'auth' }) });
    const events = other.app.events;
    expect(events.has('auth.failure')).toBe(true);
    await other.close();
    expect(events.has('auth.failure')).toBe(false);
  });
});

describe('auth group, stateless consumer', () => {
  it('does not pre-create revocation series a stateless service never fills', async () => {
    const t = await startMetricsApp({ settings: metricsSettings({ METRICS_GROUPS: 'auth' }) });
    try {
      const exposition = await t.scrape();
      expect(exposition.samples.some((s) => s.name === CHECKS)).toBe(false);
      expect(valueOf(exposition, FAILURES, { reason: 'missing' })).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('listens to nothing when the auth group is off', async () => {
    const t = await startMetricsApp({ settings: metricsSettings({ METRICS_GROUPS: 'traffic' }) });
    try {
      expect(t.app.events.has('auth.failure')).toBe(false);
      expect(t.app.events.has('auth.revocation')).toBe(false);
      expect(t.app.events.has('health.check')).toBe(false);
    } finally {
      await t.close();
    }
  });
});
