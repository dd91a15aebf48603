import { M8Error, ProblemsError } from '@m8/core';

/** One thing wrong with the options given to `HealthConfig` or a built-in check. */
export interface HealthOptionProblem {
  /** The option, e.g. `timeout` or `checks[2].name`. */
  readonly option: string;
  /** What is wrong and what is expected. */
  readonly problem: string;
}

/**
 * Thrown at construction (never at request time) with every problem of the options at once.
 *
 * @example
 * try { new HealthConfig({ timeout: 0 }) } catch (e) { e.code === 'ERR_M8_HEALTH_OPTIONS' }
 */
export class HealthOptionsError extends ProblemsError<HealthOptionProblem> {
  static override readonly code = 'ERR_M8_HEALTH_OPTIONS';
  override readonly code = HealthOptionsError.code;

  constructor(problems: readonly HealthOptionProblem[], owner = 'HealthConfig') {
    super(`${owner} options`, problems, (p) => `${p.option}: ${p.problem}`);
  }
}

/** `new HealthCheckResult(status)` with a status that is not one of `ok`, `degraded`, `fail`, `unknown`. */
export class HealthStatusError extends M8Error {
  static override readonly code = 'ERR_M8_HEALTH_STATUS';
  override readonly code = HealthStatusError.code;
}

/** The abort reason a check's `signal` carries when the check ran out of time. */
export class HealthCheckTimeoutError extends M8Error {
  static override readonly code = 'ERR_M8_HEALTH_CHECK_TIMEOUT';
  override readonly code = HealthCheckTimeoutError.code;
}

/** Every code @m8/health's errors carry (see packages/health/README.md). */
export type HealthErrorCode = 'ERR_M8_HEALTH_OPTIONS' | 'ERR_M8_HEALTH_STATUS' | 'ERR_M8_HEALTH_CHECK_TIMEOUT';
