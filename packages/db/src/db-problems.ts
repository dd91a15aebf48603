/**
 * The one place where database failures become HTTP answers. MikroORM's exception converter has
 * already sorted each driver error into a class (`UniqueConstraintViolationException`,
 * `ConnectionException`...); this file maps those classes, and the SQLSTATE / error code MikroORM
 * copies onto the rest, to an honest status. Messages are never read: each answer's `detail` is a
 * fixed sentence, so no SQL, table, column or value reaches a client.
 *
 * | failure | answer |
 * |---|---|
 * | connection refused, reset or terminated; server shutting down; too many connections; pool exhausted; statement, lock or client-side timeout; deadlock or serialisation failure; read-only (fail-over) | 503 + `Retry-After` |
 * | unique violation | 409 |
 * | foreign-key violation; another integrity constraint (SQLSTATE 23) the driver did not name | 409 |
 * | not-null violation, check violation | 422 |
 * | anything else (a bug: syntax, missing table...) | not translated: the error layer's bare 500 |
 */
import {
  CheckConstraintViolationException,
  ConnectionException,
  DeadlockException,
  DriverException,
  ForeignKeyConstraintViolationException,
  LockWaitTimeoutException,
  NotNullConstraintViolationException,
  ReadOnlyException,
  ServerException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { HttpProblem } from '@m8/core';
import type { M8State } from '@m8/core';
import type { Middleware } from 'koa';

/** Seconds a client is told to wait before retrying after a 503 (`Retry-After`). */
export const DB_RETRY_AFTER_SECONDS = 2;

/** 503: the database cannot answer now (down, unreachable, overloaded, timed out). */
export class DbUnavailableProblem extends HttpProblem {
  static override readonly code = 'ERR_M8_DB_TEMPORARILY_UNAVAILABLE';
  constructor(retryAfterSeconds: number = DB_RETRY_AFTER_SECONDS) {
    super(503, 'The database is unavailable; try again shortly.', { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}

/** 409: a record with the same unique value exists. */
export class DbUniqueViolationProblem extends HttpProblem {
  static override readonly code = 'ERR_M8_DB_UNIQUE_VIOLATION';
  constructor() {
    super(409, 'Conflict: a record with the same unique value already exists.');
  }
}

/** 409: the change refers to a missing record, or removes one still referred to. */
export class DbForeignKeyViolationProblem extends HttpProblem {
  static override readonly code = 'ERR_M8_DB_FOREIGN_KEY_VIOLATION';
  constructor() {
    super(409, 'Conflict: the change refers to a record that does not exist, or to one still referred to.');
  }
}

/** 409: an integrity constraint (SQLSTATE class 23) the driver did not name. */
export class DbConstraintViolationProblem extends HttpProblem {
  static override readonly code = 'ERR_M8_DB_CONSTRAINT_VIOLATION';
  constructor() {
    super(409, 'Conflict: the change conflicts with data already stored.');
  }
}

/** 422: a required value is missing (not-null constraint), in the 422 issue shape. */
export class DbNotNullViolationProblem extends HttpProblem {
  static override readonly code = 'ERR_M8_DB_NOT_NULL_VIOLATION';
  constructor() {
    super(422, [{ loc: ['body'], msg: 'A required value is missing.', type: 'missing' }]);
  }
}

/** 422: a value failed a check constraint, in the 422 issue shape. */
export class DbCheckViolationProblem extends HttpProblem {
  static override readonly code = 'ERR_M8_DB_CHECK_VIOLATION';
  constructor() {
    super(422, [{ loc: ['body'], msg: 'A value is outside what is accepted.', type: 'value_error' }]);
  }
}

/** Exceptions MikroORM classifies as "try again later". */
const TRANSIENT = [ConnectionException, LockWaitTimeoutException, DeadlockException, ReadOnlyException] as const;

/**
 * SQLSTATE classes of a plain `DriverException` that mean the server cannot serve now: 08
 * connection exception, 40 transaction rollback, 53 insufficient resources (too many connections),
 * 57 operator intervention (57014 statement timeout, 57P01-03 shutdown and start-up), HYT timeouts,
 * 70100 MariaDB's max_statement_time interruption.
 */
const TRANSIENT_SQLSTATE = /^(08|40|53|57|HYT)|^70100$/;

/** mysql2's client-side codes (and MySQL errors) for a lost, refused or timed-out server. */
const TRANSIENT_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/** MariaDB's check-constraint error (ER_CONSTRAINT_FAILED), which MikroORM's converter knows only by MySQL's 3819. */
const MARIADB_CHECK_VIOLATION = 4025;

/** A Node socket error code (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH...). */
const SOCKET_ERRNO = /^E[A-Z]+$/;

/**
 * The HTTP answer for a database failure, or undefined when `error` is not one m8 translates (it
 * then stays a 500, logged with its internals).
 *
 * Only MikroORM's `DriverException`s are translated here; the engine's middleware also recognises
 * its driver's raw errors (see `driver-errors.ts`).
 *
 * @example
 * try { await em.flush(); } catch (error) { throw translateDbError(error) ?? error; }
 */
export function translateDbError(error: unknown, retryAfterSeconds = DB_RETRY_AFTER_SECONDS): HttpProblem | undefined {
  if (!(error instanceof DriverException)) return undefined;
  return translateDriverException(error, retryAfterSeconds);
}

function translateDriverException(error: DriverException, retryAfterSeconds: number): HttpProblem | undefined {
  if (error instanceof UniqueConstraintViolationException) return new DbUniqueViolationProblem();
  if (error instanceof ForeignKeyConstraintViolationException) return new DbForeignKeyViolationProblem();
  if (error instanceof NotNullConstraintViolationException) return new DbNotNullViolationProblem();
  if (error instanceof CheckConstraintViolationException) return new DbCheckViolationProblem();
  if (TRANSIENT.some((type) => error instanceof type)) return new DbUnavailableProblem(retryAfterSeconds);
  if (error instanceof ServerException) return undefined; // the server understood and refused: a bug
  if (error.errno === MARIADB_CHECK_VIOLATION) return new DbCheckViolationProblem();
  if (sqlStateOf(error)?.startsWith('23')) return new DbConstraintViolationProblem();
  return isTransientDriverError(error) ? new DbUnavailableProblem(retryAfterSeconds) : undefined;
}

/**
 * A `DriverException` MikroORM left unclassified. Every error a server sends back carries a
 * SQLSTATE (PostgreSQL's `code`, MySQL's `sqlState`); one with none was raised on the client side:
 * the connection broke ("terminated unexpectedly"), a client-side query timeout fired, or the pool
 * had no connection to give. Those, and the server states listed above, are "unavailable".
 */
function isTransientDriverError(error: DriverException): boolean {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined && TRANSIENT_SQLSTATE.test(sqlState)) return true;
  if (code !== undefined && (TRANSIENT_CODES.has(code) || SOCKET_ERRNO.test(code))) return true;
  return sqlState === undefined && code === undefined && error.errno === undefined;
}

/** MySQL's `sqlState`, or PostgreSQL's `code` (which is the SQLSTATE: five digits or capitals). */
function sqlStateOf(error: DriverException): string | undefined {
  if (typeof error.sqlState === 'string') return error.sqlState;
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) ? error.code : undefined;
}

/**
 * Koa middleware (the db plugin mounts it at the `request` stage, inside core's error layer):
 * rethrows database failures as their HTTP answer. `recognize` turns what the engine knows to be
 * a driver failure into MikroORM's `DriverException`. A 503 is reported to `onUnavailable`
 * (logged as a warning without the driver's message, which may quote SQL and values).
 */
export function dbErrorTranslation(
  recognize: (error: unknown) => DriverException | undefined,
  onUnavailable?: (error: DriverException) => void,
  retryAfterSeconds = DB_RETRY_AFTER_SECONDS,
): Middleware<M8State> {
  return async function dbErrorTranslation(_ctx, next) {
    try {
      await next();
    } catch (error) {
      const exception = recognize(error);
      const problem = exception === undefined ? undefined : translateDriverException(exception, retryAfterSeconds);
      if (problem === undefined) throw error;
      if (problem.status === 503) onUnavailable?.(exception!);
      throw problem;
    }
  };
}
