/**
 * `translateDbError`: MikroORM's exception classes (and the SQLSTATE / codes it copies onto the
 * rest) → 503 / 409 / 422 or untranslated. The exceptions are MikroORM's real classes wrapping
 * errors shaped as the drivers raise them; the fault suites check the same answers on live servers.
 */
import { describe, expect, it } from 'vitest';
import {
  CheckConstraintViolationException,
  ConnectionException,
  DeadlockException,
  DriverException,
  ForeignKeyConstraintViolationException,
  LockWaitTimeoutException,
  NotNullConstraintViolationException,
  ReadOnlyException,
  SyntaxErrorException,
  TableNotFoundException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { DbCheckViolationProblem, DbForeignKeyViolationProblem, DbNotNullViolationProblem, DbUnavailableProblem, translateDbError } from '@m8/db';

/** A driver error as pg / mysql2 / Node raise it: a message that quotes SQL and values, plus fields. */
function driverError(fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`insert into "app_note" ("key") values ('secret') - failure`), fields);
}

const answer = (error: unknown) => {
  const problem = translateDbError(error);
  return problem && { status: problem.status, code: problem.code, detail: problem.detail, headers: problem.headers };
};

describe('translateDbError', () => {
  it.each([
    ['ConnectionException', new ConnectionException(driverError())],
    ['LockWaitTimeoutException', new LockWaitTimeoutException(driverError())],
    ['DeadlockException', new DeadlockException(driverError())],
    ['ReadOnlyException', new ReadOnlyException(driverError())],
    ['PostgreSQL statement timeout (57014)', new DriverException(driverError({ code: '57014' }))],
    ['PostgreSQL shutting down (57P01)', new DriverException(driverError({ code: '57P01' }))],
    ['PostgreSQL too many connections (53300)', new DriverException(driverError({ code: '53300' }))],
    ['connection exception class 08 (08006)', new DriverException(driverError({ code: '08006' }))],
    ['MariaDB max_statement_time (70100)', new DriverException(driverError({ code: 'ER_STATEMENT_TIMEOUT', errno: 1969, sqlState: '70100' }))],
    ['connection refused', new DriverException(driverError({ code: 'ECONNREFUSED', errno: -111, syscall: 'connect' }))],
    ['connection reset', new DriverException(driverError({ code: 'ECONNRESET', errno: -104 }))],
    ['mysql2 connection lost', new DriverException(driverError({ code: 'PROTOCOL_CONNECTION_LOST' }))],
    ['mysql2 client-side timeout', new DriverException(driverError({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' }))],
    ['SQLite busy', new DriverException(driverError({ code: 'SQLITE_BUSY' }))],
    ['no code at all (terminated, client timeout, pool exhausted)', new DriverException(driverError())],
  ])('%s → 503 with Retry-After', (_, error) => {
    expect(answer(error)).toEqual({
      status: 503,
      code: 'ERR_M8_DB_TEMPORARILY_UNAVAILABLE',
      detail: 'The database is unavailable; try again shortly.',
      headers: { 'Retry-After': '2' },
    });
    expect(translateDbError(error)).toBeInstanceOf(DbUnavailableProblem);
  });

  it('unique violation → 409', () => {
    expect(answer(new UniqueConstraintViolationException(driverError({ code: '23505' })))).toEqual({
      status: 409,
      code: 'ERR_M8_DB_UNIQUE_VIOLATION',
      detail: 'Conflict: a record with the same unique value already exists.',
      headers: {},
    });
  });

  it('foreign-key violation → 409', () => {
    const problem = translateDbError(new ForeignKeyConstraintViolationException(driverError({ code: '23503' })));
    expect(problem).toBeInstanceOf(DbForeignKeyViolationProblem);
    expect(problem).toMatchObject({ status: 409, code: 'ERR_M8_DB_FOREIGN_KEY_VIOLATION' });
  });

  it('an integrity constraint the driver did not name (SQLSTATE 23) → 409', () => {
    expect(answer(new DriverException(driverError({ code: 'ER_SOMETHING', errno: 4999, sqlState: '23000' })))).toMatchObject({
      status: 409,
      code: 'ERR_M8_DB_CONSTRAINT_VIOLATION',
    });
  });

  it.each([
    ['not-null', new NotNullConstraintViolationException(driverError({ code: '23502' })), 'ERR_M8_DB_NOT_NULL_VIOLATION', 'A required value is missing.', 'missing'],
    ['check', new CheckConstraintViolationException(driverError({ code: '23514' })), 'ERR_M8_DB_CHECK_VIOLATION', 'A value is outside what is accepted.', 'value_error'],
    ['MariaDB check (4025)', new DriverException(driverError({ errno: 4025, sqlState: '23000' })), 'ERR_M8_DB_CHECK_VIOLATION', 'A value is outside what is accepted.', 'value_error'],
  ])('%s violation → 422 in the issue shape', (_, error, code, msg, type) => {
    const problem = translateDbError(error);
    expect(problem).toBeInstanceOf(code === 'ERR_M8_DB_NOT_NULL_VIOLATION' ? DbNotNullViolationProblem : DbCheckViolationProblem);
    expect(answer(error)).toEqual({ status: 422, code, detail: [{ loc: ['body'], msg, type }], headers: {} });
  });

  it.each([
    ['a syntax error (a bug)', new SyntaxErrorException(driverError({ code: '42601' }))],
    ['a missing table (a bug)', new TableNotFoundException(driverError({ code: '42P01' }))],
    ['an unclassified server error with a SQLSTATE', new DriverException(driverError({ code: '22P02' }))],
    ['a server error with only an errno', new DriverException(driverError({ errno: 1366, code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', sqlState: 'HY000' }))],
    ['not a database error', new TypeError('x is undefined')],
    ['a raw driver error MikroORM did not convert', driverError({ code: '23505' })],
  ])('%s → not translated (a logged 500)', (_, error) => {
    expect(translateDbError(error)).toBeUndefined();
  });

  it('never puts SQL, tables or values into an answer', () => {
    const errors = [
      new UniqueConstraintViolationException(driverError({ code: '23505', detail: 'Key (key)=(secret) already exists.' })),
      new NotNullConstraintViolationException(driverError({ code: '23502' })),
      new ConnectionException(driverError()),
    ];
    for (const error of errors) {
      const problem = translateDbError(error)!;
      expect(JSON.stringify({ detail: problem.detail, headers: problem.headers, message: problem.message })).not.toMatch(/secret|insert|app_note|key\)/);
    }
  });
});
