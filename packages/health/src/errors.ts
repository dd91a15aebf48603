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
export class HealthOptionsError extends Error {
  readonly code = 'ERR_M8_HEALTH_OPTIONS';
  readonly problems: readonly HealthOptionProblem[];

  constructor(problems: readonly HealthOptionProblem[], owner = 'HealthConfig') {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${p.option}: ${p.problem}`);
    super(`Invalid ${owner} options (${count}):\n${lines.join('\n')}`);
    this.name = 'HealthOptionsError';
    this.problems = Object.freeze([...problems]);
  }
}
