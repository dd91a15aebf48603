/** Errors of @m8/db, each with a stable `code` (tests and callers match the code, not the text). */
import { M8Error } from '@m8/core';

/** `engine.em` was read outside a request or `engine.run()` scope. */
export class DbScopeError extends Error {
  readonly code = 'ERR_M8_DB_NO_SCOPE';
  constructor() {
    super(
      'engine.em was used outside a request scope. Inside HTTP requests the scope is opened by the engine ' +
        "(pass it as bootstrap's lifecycle.db); in jobs, scripts and tests wrap the work in engine.run(em => ...) " +
        'or use engine.fork().',
    );
    this.name = 'DbScopeError';
  }
}

/** The engine was used after `dispose()`. */
export class DbDisposedError extends Error {
  readonly code = 'ERR_M8_DB_DISPOSED';
  constructor() {
    super('The database engine was disposed; create a new one with createDbEngine().');
    this.name = 'DbDisposedError';
  }
}

/** `waitForDatabase` ran out of attempts. The message carries the last (scrubbed) error. */
export class DbUnavailableError extends Error {
  readonly code = 'ERR_M8_DB_UNAVAILABLE';
  constructor(
    readonly attempts: number,
    readonly lastError: string,
  ) {
    super(`The database did not answer after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}: ${lastError}`);
    this.name = 'DbUnavailableError';
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
