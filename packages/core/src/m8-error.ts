/**
 * `M8Error`: the one base class of every error m8 throws (jose's `JOSEError` is the model).
 *
 * Each failure is its own subclass with a stable `code`, declared once as a static literal and
 * copied onto instances, so callers and tests match `error.code` (or `instanceof`) and never the
 * message. Subclasses declare:
 *
 * @example
 * export class DbScopeError extends M8Error {
 *   static override readonly code = 'ERR_M8_DB_NO_SCOPE';
 *   override readonly code = DbScopeError.code;
 * }
 */
const BRAND = Symbol.for('m8.error');

export class M8Error extends Error {
  /** The code of this class of failure; subclasses override it with a literal. */
  static readonly code: string = 'ERR_M8';

  /**
   * True for any M8Error, even one from another copy of @m8/core (two installed versions, or
   * sources next to a build in tests), where `instanceof` would say no.
   */
  static isM8Error(error: unknown): error is M8Error {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly code: string = M8Error.code;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, BRAND, { value: true });
    this.name = new.target.name;
  }
}

/** A state the code rules out was reached: a bug in m8, reported with what was found. */
export class InvariantError extends M8Error {
  static override readonly code = 'ERR_M8_INVARIANT';
  override readonly code = InvariantError.code;
}
