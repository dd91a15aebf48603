import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEALTH_DEFAULTS, HEALTH_PACKAGE, HealthConfig, HealthOptionsError, HealthPolicy, type HealthOptions } from '@m8/health';

function problemsOf(options: unknown): string[] {
  try {
    new HealthConfig(options as HealthOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(HealthOptionsError);
    expect((error as HealthOptionsError).code).toBe('ERR_M8_HEALTH_OPTIONS');
    return (error as HealthOptionsError).problems.map((p) => p.option);
  }
  throw new Error('expected HealthOptionsError');
}

describe('HealthConfig options', () => {
  it('has the contract defaults', () => {
    const config = new HealthConfig();
    expect(config.options).toEqual({
      checks: [],
      timeoutMs: 500,
      policy: 'lenient',
      detailPublic: false,
      detailAuthorizer: undefined,
      cacheTtlMs: 2000,
    });
    expect(HEALTH_DEFAULTS).toMatchObject({ timeout: 0.5, cacheTtl: 2, policy: HealthPolicy.LENIENT, detailPublic: false });
    expect(config.name).toBe('health');
  });

  it('converts seconds to milliseconds', () => {
    const config = new HealthConfig({ timeout: 0.05, cacheTtl: 0, policy: HealthPolicy.STRICT, detailPublic: true });
    expect(config.options).toMatchObject({ timeoutMs: 50, cacheTtlMs: 0, policy: 'strict', detailPublic: true });
  });

  it('reports every problem in one error', () => {
    const problems = problemsOf({
      timeout: 0,
      cacheTtl: -1,
      policy: 'relaxed',
      detailPublic: 'yes',
      detailAuthorizer: 'admins',
      checks: [{ name: 'db', check: async () => true }, { name: 'db', check: 1 }, { name: '' }, null],
      chekcs: [],
    });
    expect(problems).toEqual([
      'chekcs',
      'timeout',
      'cacheTtl',
      'policy',
      'detailPublic',
      'detailAuthorizer',
      'checks[1].name',
      'checks[1].check',
      'checks[2].name',
      'checks[2].check',
      'checks[3]',
    ]);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 61, -0.1, '0.5'])('refuses timeout %s', (timeout) => {
    expect(problemsOf({ timeout })).toEqual(['timeout']);
  });

  it('refuses checks that is not an array', () => {
    expect(problemsOf({ checks: { name: 'db' } })).toEqual(['checks']);
  });

  it('names the fix in the message', () => {
    expect(() => new HealthConfig({ timeout: 500 })).toThrow(/timeout: must be a number of seconds above 0 and at most 60/);
  });

  it('freezes the options and the checks list', () => {
    const checks = [{ name: 'a', check: () => true }];
    const config = new HealthConfig({ checks });
    checks.push({ name: 'b', check: () => true });
    expect(config.options.checks).toHaveLength(1);
    expect(Object.isFrozen(config.options)).toBe(true);
    expect(Object.isFrozen(config.options.checks)).toBe(true);
  });

  it('accepts a class with state as a check', () => {
    class Counter {
      readonly name = 'counter';
      runs = 0;
      async check(): Promise<boolean> {
        this.runs += 1;
        return true;
      }
    }
    expect(() => new HealthConfig({ checks: [new Counter()] })).not.toThrow();
  });

  it('declares the version of its package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { name: string; version: string };
    expect(HEALTH_PACKAGE).toEqual({ name: pkg.name, version: pkg.version, path: join(__dirname, '..') });
  });
});
