import { describe, expect, it } from 'vitest';
import { SettingsError } from '@m8/core';
import { createDbEngine, sqliteLocation } from '@m8/db';
import { buildOrmOptions } from '../src/orm-options';
import { testSettings } from './support/fixtures';

class FakeDriver {}
const noContext = () => undefined;
const build = (values: Record<string, unknown>, options = {}) =>
  buildOrmOptions(testSettings(values), options, FakeDriver as never, noContext);

describe('createDbEngine settings checks', () => {
  it('lists every missing DB_* setting in one SettingsError', async () => {
    const error = await createDbEngine(testSettings({ SELECTED_DB: 'Postgres' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).code).toBe('ERR_M8_SETTINGS');
    expect((error as SettingsError).problems.map((p) => p.name)).toEqual(['DB_HOST', 'DB_DATABASE', 'DB_USER']);
  });

  it('needs nothing else when DATABASE_URL is set', () => {
    const options = build({ SELECTED_DB: 'Mysql', DATABASE_URL: 'mysql://u:p@h:3306/d' });
    expect(options.clientUrl).toBe('mysql://u:p@h:3306/d');
  });
});

describe('buildOrmOptions', () => {
  it('derives the URL from the DB_* fields, password escaped', () => {
    const options = build({ SELECTED_DB: 'Postgres', DB_HOST: 'db', DB_USER: 'me', DB_PASSWORD: 'a@b:c/d%e+f', DB_DATABASE: 'app' });
    expect(options.clientUrl).toBe('postgresql://me:a%40b%3Ac%2Fd%25e%2Bf@db:5432/app');
  });

  it('pools server databases 0..10 with idle and acquire timeouts; user values win', () => {
    const values = { SELECTED_DB: 'Postgres', DATABASE_URL: 'postgresql://u@h/d' };
    expect(build(values).pool).toEqual({ min: 0, max: 10, idleTimeoutMillis: 30_000, acquireTimeoutMillis: 5_000 });
    expect(build(values, { pool: { max: 3, min: 1 } }).pool).toMatchObject({ min: 1, max: 3, idleTimeoutMillis: 30_000 });
  });

  it('keeps SQLite on exactly one connection (a :memory: database lives in it)', () => {
    expect(build({ SELECTED_DB: 'Sqlite', DB_DATABASE: ':memory:' }).pool).toMatchObject({ min: 1, max: 1 });
  });

  it('sets the driver connect timeout, and lets driverOptions add to it', () => {
    const pg = build({ SELECTED_DB: 'Postgres', DATABASE_URL: 'postgresql://u@h/d' }, { connectTimeoutMs: 1234, driverOptions: { connection: { ssl: true } } });
    expect(pg.driverOptions).toEqual({ connection: { connectionTimeoutMillis: 1234, statement_timeout: 15_000, query_timeout: 16_000, ssl: true } });
    const my = build({ SELECTED_DB: 'Mysql', DATABASE_URL: 'mysql://u@h/d' });
    expect(my.driverOptions).toEqual({ connection: { connectTimeout: 5000 } });
  });

  it('bounds every wait from DB_STATEMENT_TIMEOUT_MS and DB_POOL_ACQUIRE_TIMEOUT_MS', () => {
    const bounds = { DB_STATEMENT_TIMEOUT_MS: 2_500, DB_POOL_ACQUIRE_TIMEOUT_MS: 700 };
    const pg = build({ SELECTED_DB: 'Postgres', DATABASE_URL: 'postgresql://u@h/d', ...bounds });
    expect(pg.driverOptions).toEqual({ connection: { connectionTimeoutMillis: 5_000, statement_timeout: 2_500, query_timeout: 3_500 } });
    expect(pg.pool).toMatchObject({ acquireTimeoutMillis: 700 });
    const sqlite = build({ SELECTED_DB: 'Sqlite', ...bounds });
    expect(sqlite.driverOptions).toEqual({ connection: { timeout: 2.5 } });
    expect(sqlite.pool).toMatchObject({ acquireTimeoutMillis: 700 });
    const my = build({ SELECTED_DB: 'Mysql', DATABASE_URL: 'mysql://u@h/d', ...bounds });
    expect(typeof my.pool?.afterCreate).toBe('function');
    expect(my.pool).toMatchObject({ acquireTimeoutMillis: 700 });
  });

  it('DB_STATEMENT_TIMEOUT_MS=0 sets no statement limit', () => {
    const pg = build({ SELECTED_DB: 'Postgres', DATABASE_URL: 'postgresql://u@h/d', DB_STATEMENT_TIMEOUT_MS: 0 });
    expect(pg.driverOptions).toEqual({ connection: { connectionTimeoutMillis: 5_000 } });
    expect(build({ SELECTED_DB: 'Mysql', DATABASE_URL: 'mysql://u@h/d', DB_STATEMENT_TIMEOUT_MS: 0 }).pool?.afterCreate).toBeUndefined();
    expect(build({ SELECTED_DB: 'Sqlite', DB_STATEMENT_TIMEOUT_MS: 0 }).driverOptions).toEqual({ connection: {} });
  });

  it('rejects out-of-range bounds with the settings error', () => {
    const error = (() => {
      try {
        testSettings({ DB_POOL_ACQUIRE_TIMEOUT_MS: 10, DB_STATEMENT_TIMEOUT_MS: -1 });
      } catch (caught) {
        return caught as SettingsError;
      }
      return undefined;
    })();
    expect(error?.problems.map((p) => p.name)).toEqual(['DB_STATEMENT_TIMEOUT_MS', 'DB_POOL_ACQUIRE_TIMEOUT_MS']);
  });

  it('never creates databases and never allows the global EntityManager', () => {
    const options = build({ SELECTED_DB: 'Sqlite' });
    expect(options.ensureDatabase).toBe(false);
    expect(options.allowGlobalContext).toBe(false);
  });

  it('lets MikroORM options given by the caller win', () => {
    expect(build({ SELECTED_DB: 'Sqlite' }, { ensureDatabase: true, debug: true })).toMatchObject({ ensureDatabase: true, debug: true });
  });

  it('warns about missing entities only when entities were given', () => {
    expect(build({ SELECTED_DB: 'Sqlite' }).discovery).toEqual({ warnWhenNoEntities: false });
  });
});

describe('sqliteLocation', () => {
  it.each([
    ['sqlite:./data/app.sqlite3', './data/app.sqlite3'],
    ['sqlite::memory:', ':memory:'],
    ['sqlite:///rel/app.db', 'rel/app.db'],
    ['sqlite:////abs/app.db', '/abs/app.db'],
    ['sqlite://', ':memory:'],
    ['/plain/path.db', '/plain/path.db'],
    ['libsql://db.example.turso.io', 'libsql://db.example.turso.io'],
  ])('%s → %s', (url, expected) => {
    expect(sqliteLocation(url)).toBe(expected);
  });

  it('defaults to ./data/app.sqlite3 when DB_DATABASE is unset', () => {
    expect(build({ SELECTED_DB: 'Sqlite' }).dbName).toBe('./data/app.sqlite3');
  });
});
