import { ProblemsError } from '@m8/core';

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
  readonly code = 'ERR_M8_HEALTH_OPTIONS';

  constructor(problems: readonly HealthOptionProblem[], owner = 'HealthConfig') {
    super(`${owner} options`, problems, (p) => `${p.option}: ${p.problem}`);
    this.name = 'HealthOptionsError';
  }
}
