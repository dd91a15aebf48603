/** Errors of @m8/db, each with a stable `code` (tests and callers match the code, not the text). */
import { M8Error } from '@m8/core';

/** `engine.em` was read outside a request or `engine.run()` scope. */
export class DbScopeError extends M8Error {
  static override readonly code = 'ERR_M8_DB_NO_SCOPE';
  override readonly code = DbScopeError.code;
  constructor() {
    super(
      'engine.em was used outside a request scope. Inside HTTP requests the scope is opened by the engine ' +
        "(list the engine in bootstrap()'s plugins); in jobs, scripts and tests wrap the work in engine.run(em => ...) " +
        'or use engine.fork().',
    );
  }
}

/** The engine was used after `dispose()`. */
export class DbDisposedError extends M8Error {
  static override readonly code = 'ERR_M8_DB_DISPOSED';
  override readonly code = DbDisposedError.code;
  constructor() {
    super('The database engine was disposed; create a new one with createDbEngine().');
  }
}

/** `waitForDatabase` ran out of attempts. The message carries the last (scrubbed) error. */
export class DbUnavailableError extends M8Error {
  static override readonly code = 'ERR_M8_DB_UNAVAILABLE';
  override readonly code = DbUnavailableError.code;
  constructor(
    readonly attempts: number,
    readonly lastError: string,
  ) {
    super(`The database did not answer after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${lastError}`);
  }
}

/** `updateSchema({ allowDataLoss: true })` outside `ENVIRONMENT=local`. */
export class DestructiveSchemaRefusedError extends M8Error {
  static override readonly code = 'ERR_M8_DB_DESTRUCTIVE_SCHEMA_REFUSED';
  override readonly code = DestructiveSchemaRefusedError.code;
  constructor(readonly environment: string) {
    super(
      `updateSchema({ allowDataLoss: true }) is refused with ENVIRONMENT=${environment}: it can drop columns and rewrite data. ` +
        'Outside local, change the schema with migrations (see the @m8/db README, "Migrations").',
    );
  }
}

/** The driver package `SELECTED_DB` needs is not installed (or does not export its driver). */
export class DbDriverMissingError extends M8Error {
  static override readonly code = 'ERR_M8_DB_DRIVER_MISSING';
  override readonly code = DbDriverMissingError.code;
  constructor(
    readonly packageName: string,
    readonly install: string,
    purpose: string,
  ) {
    super(`${purpose} needs the package "${packageName}", which is not installed. Install it with: ${install}`);
  }
}

/** A database round trip did not finish within its deadline, or was aborted. */
export class DbDeadlineError extends M8Error {
  static override readonly code = 'ERR_M8_DB_DEADLINE';
  override readonly code = DbDeadlineError.code;
}

/** An option of `waitForDatabase` is out of range. */
export class DbOptionsError extends M8Error {
  static override readonly code = 'ERR_M8_DB_OPTIONS';
  override readonly code = DbOptionsError.code;
}

/** Every code @m8/db's errors carry (see packages/db/README.md). */
export type DbErrorCode =
  | 'ERR_M8_DB_NO_SCOPE' | 'ERR_M8_DB_DISPOSED' | 'ERR_M8_DB_UNAVAILABLE' | 'ERR_M8_DB_DRIVER_MISSING' | 'ERR_M8_DB_DEADLINE' | 'ERR_M8_DB_OPTIONS' | 'ERR_M8_PRESTART_CONFIG'
  | 'ERR_M8_DB_DESTRUCTIVE_SCHEMA_REFUSED'
  | 'ERR_M8_DB_TEMPORARILY_UNAVAILABLE' | 'ERR_M8_DB_UNIQUE_VIOLATION' | 'ERR_M8_DB_FOREIGN_KEY_VIOLATION' | 'ERR_M8_DB_CONSTRAINT_VIOLATION'
  | 'ERR_M8_DB_NOT_NULL_VIOLATION' | 'ERR_M8_DB_CHECK_VIOLATION';
