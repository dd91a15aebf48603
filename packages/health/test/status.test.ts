import { describe, expect, it } from 'vitest';
import { HealthPolicy, HealthStatus, overallStatus } from '@m8/health';
import { httpStatusOf } from '../src/status';

describe('overallStatus', () => {
  const cases: [HealthStatus[], HealthStatus, HealthStatus][] = [
    // statuses, LENIENT, STRICT
    [[], 'ok', 'ok'],
    [['ok', 'ok'], 'ok', 'ok'],
    [['ok', 'degraded'], 'degraded', 'degraded'],
    [['degraded', 'unknown', 'ok'], 'unknown', 'fail'],
    [['unknown'], 'unknown', 'fail'],
    [['ok', 'fail', 'unknown'], 'fail', 'fail'],
    [['degraded', 'fail'], 'fail', 'fail'],
  ];
  it.each(cases)('%j → lenient %s, strict %s', (statuses, lenient, strict) => {
    expect(overallStatus(statuses, HealthPolicy.LENIENT)).toBe(lenient);
    expect(overallStatus(statuses, HealthPolicy.STRICT)).toBe(strict);
  });

  it('answers 503 only for fail', () => {
    expect(httpStatusOf('fail')).toBe(503);
    expect(httpStatusOf('unknown')).toBe(200);
    expect(httpStatusOf('degraded')).toBe(200);
    expect(httpStatusOf('ok')).toBe(200);
  });

  it('exposes the wire values', () => {
    expect(HealthStatus).toEqual({ OK: 'ok', DEGRADED: 'degraded', FAIL: 'fail', UNKNOWN: 'unknown' });
    expect(HealthPolicy).toEqual({ LENIENT: 'lenient', STRICT: 'strict' });
  });
});
