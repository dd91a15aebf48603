import { describe, expect, it } from 'vitest';
import { HealthCheckResult, HealthStatusError } from '@m8/health';
import { normaliseResult } from '../src/result';

describe('HealthCheckResult', () => {
  it('fromBool maps true to ok and false to fail with a reason', () => {
    expect(HealthCheckResult.fromBool(true)).toMatchObject({ status: 'ok', error: null, meta: {}, ok: true });
    expect(HealthCheckResult.fromBool(false)).toMatchObject({ status: 'fail', error: 'check failed', ok: false });
    expect(HealthCheckResult.fromBool(false, 'cache down', { node: 2 })).toMatchObject({
      status: 'fail',
      error: 'cache down',
      meta: { node: 2 },
    });
  });

  it('has one constructor per status', () => {
    expect(HealthCheckResult.ok({ a: 1 })).toMatchObject({ status: 'ok', meta: { a: 1 }, ok: true });
    expect(HealthCheckResult.degraded('slow')).toMatchObject({ status: 'degraded', error: 'slow', ok: false });
    expect(HealthCheckResult.fail()).toMatchObject({ status: 'fail', error: 'check failed', ok: false });
    expect(HealthCheckResult.unknown()).toMatchObject({ status: 'unknown', error: null, ok: false });
  });

  it('refuses a status outside the contract', () => {
    // @ts-expect-error: 'healthy' is not a HealthStatus
    expect(() => new HealthCheckResult('healthy')).toThrow(HealthStatusError);
  });
});

describe('normaliseResult', () => {
  it('accepts booleans, results and result-shaped objects', () => {
    expect(normaliseResult(true).status).toBe('ok');
    expect(normaliseResult(false).status).toBe('fail');
    const result = HealthCheckResult.degraded('x');
    expect(normaliseResult(result)).toBe(result);
    expect(normaliseResult({ status: 'unknown', error: 'e', meta: { m: 1 } })).toMatchObject({
      status: 'unknown',
      error: 'e',
      meta: { m: 1 },
    });
  });

  it.each([undefined, null, 1, 'ok', { status: 'healthy' }, []])('turns %j into fail, never ok', (value) => {
    expect(normaliseResult(value)).toMatchObject({ status: 'fail', error: 'check returned an invalid result' });
  });
});
