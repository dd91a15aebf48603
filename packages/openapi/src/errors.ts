import { M8Error, ProblemsError } from '@m8/core';
import { installCommand } from '@m8/core/internal';

/** One thing wrong with the options given to `openapi()`. */
export interface OpenApiOptionProblem {
  /** The option, e.g. `tokenUrl`. */
  readonly option: string;
  /** What is wrong and what is expected. */
  readonly problem: string;
}

/**
 * Thrown by `openapi()` (never at request time) with every problem of the options at once.
 *
 * @example
 * try { openapi({ tokenUrl: 'ftp://x' }) } catch (e) { e.code === 'ERR_M8_OPENAPI_OPTIONS' }
 */
export class OpenApiOptionsError extends ProblemsError<OpenApiOptionProblem> {
  static override readonly code = 'ERR_M8_OPENAPI_OPTIONS';
  override readonly code = OpenApiOptionsError.code;

  constructor(problems: readonly OpenApiOptionProblem[]) {
    super('@m8/openapi options', problems, (p) => `${p.option}: ${p.problem}`);
  }
}

/**
 * The document cannot be built as asked (e.g. a request class named like one of the schemas m8
 * adds). Thrown at setup, so the service fails at start rather than serving a wrong document.
 */
export class OpenApiDocumentError extends M8Error {
  static override readonly code = 'ERR_M8_OPENAPI_DOCUMENT';
  override readonly code = OpenApiDocumentError.code;
  constructor(message: string) {
    super(message);
  }
}

/** A Swagger UI or ReDoc file is missing from the installed packages (a broken install). */
export class OpenApiAssetError extends M8Error {
  static override readonly code = 'ERR_M8_OPENAPI_ASSET';
  override readonly code = OpenApiAssetError.code;
  constructor(readonly file: string, cause: unknown) {
    super(`Cannot read the docs asset ${file} (${(cause as Error)?.message ?? cause}). Reinstall @m8/openapi (${installCommand(['@m8/openapi'])}).`);
  }
}

/** Every code @m8/openapi's errors carry (see packages/openapi/README.md). */
export type OpenApiErrorCode = 'ERR_M8_OPENAPI_OPTIONS' | 'ERR_M8_OPENAPI_DOCUMENT' | 'ERR_M8_OPENAPI_ASSET';
