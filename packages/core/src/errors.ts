/**
 * `HttpProblem`: an error that knows its HTTP answer. Throw it (or a subclass) anywhere in a request
 * and the error layer answers `{"detail": ...}` with its status and headers. Anything else that is
 * thrown becomes a bare 500 (see `http/error-layer.ts`).
 */
import { M8Error } from './m8-error';

const BRAND = Symbol.for('m8.http-problem');

export class HttpProblem extends M8Error {
  /** Subclasses name their own failure; a bare `HttpProblem` is `ERR_M8_HTTP` unless given a code. */
  static override readonly code: string = 'ERR_M8_HTTP';

  /**
   * True for any HttpProblem, even one from another copy of @m8/core (two installed versions,
   * or sources next to a build in tests), where `instanceof` would say no.
   */
  static is(error: unknown): error is HttpProblem {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
  }

  /** Stable code for tests and logs, e.g. `ERR_M8_AUTH_NOT_AUTHENTICATED`. */
  override readonly code: string;
  readonly status: number;
  readonly detail: unknown;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, detail: unknown, options: { code?: string; headers?: Record<string, string> } = {}) {
    super(typeof detail === 'string' ? detail : `HTTP ${status}`);
    Object.defineProperty(this, BRAND, { value: true });
    this.status = status;
    this.detail = detail;
    this.code = options.code ?? (new.target as typeof HttpProblem).code;
    this.headers = options.headers ?? {};
  }
}

/** A field of a 422 answer, in the FastAPI shape the Python stack's clients read. */
export interface ValidationIssue {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

export class RequestValidationProblem extends HttpProblem {
  static override readonly code = 'ERR_M8_VALIDATION';
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(422, issues);
  }
}
