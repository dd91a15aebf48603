/**
 * The shape every "your options are wrong" error of m8 shares (Fastify-style option validation):
 * one error, thrown at start, listing every problem with what is expected, and a stable `code`.
 */
import { M8Error } from './m8-error';

export abstract class ProblemsError<P> extends M8Error {
  readonly problems: readonly P[];

  /** `subject` completes "Invalid …", e.g. `HealthConfig options`; `describe` renders one problem. */
  protected constructor(subject: string, problems: readonly P[], describe: (problem: P) => string) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Invalid ${subject} (${count}):\n${problems.map((p) => `  - ${describe(p)}`).join('\n')}`);
    this.problems = Object.freeze([...problems]);
  }
}
