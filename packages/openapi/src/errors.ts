import { ProblemsError } from '@m8/core';

/** One thing wrong with the options given to `createOpenApiPlugin`. */
export interface OpenApiOptionProblem {
  /** The option, e.g. `tokenUrl`. */
  readonly option: string;
  /** What is wrong and what is expected. */
  readonly problem: string;
}

/**
 * Thrown by `createOpenApiPlugin()` (never at request time) with every problem of the options at once.
 *
 * @example
 * try { createOpenApiPlugin(settings, { tokenUrl: 'ftp://x' }) } catch (e) { e.code === 'ERR_M8_OPENAPI_OPTIONS' }
 */
export class OpenApiOptionsError extends ProblemsError<OpenApiOptionProblem> {
  readonly code = 'ERR_M8_OPENAPI_OPTIONS';

  constructor(problems: readonly OpenApiOptionProblem[]) {
    super('@m8/openapi options', problems, (p) => `${p.option}: ${p.problem}`);
    this.name = 'OpenApiOptionsError';
  }
}

/**
 * The document cannot be built as asked (e.g. a request class named like one of the schemas m8
 * adds). Thrown at setup, so the service fails at start rather than serving a wrong document.
 */
export class OpenApiDocumentError extends Error {
  readonly code = 'ERR_M8_OPENAPI_DOCUMENT';
  constructor(message: string) {
    super(message);
    this.name = 'OpenApiDocumentError';
  }
}

/** A Swagger UI or ReDoc file is missing from the installed packages (a broken install). */
export class OpenApiAssetError extends Error {
  readonly code = 'ERR_M8_OPENAPI_ASSET';
  constructor(readonly file: string, cause: unknown) {
    super(`Cannot read the docs asset ${file} (${(cause as Error)?.message ?? cause}). Reinstall @m8/openapi (npm install @m8/openapi).`);
    this.name = 'OpenApiAssetError';
  }
}
