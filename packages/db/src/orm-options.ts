/**
 * Settings + user overrides → MikroORM options. One place decides every default.
 */
import type { Constructor, EntityManager, IDatabaseDriver, NamingStrategy, Options, PoolConfig } from '@mikro-orm/core';
import { SettingsError } from '@m8/core';
import { databaseProblems } from '@m8/core/internal';
import type { ConsumerServiceSettings } from '@m8/core';
import { TablePrefixNamingStrategy } from './naming';

/** The settings fields a database engine reads (a loaded `ConsumerServiceSettings` fits). */
export type DbSettings = Pick<
  ConsumerServiceSettings,
  | 'ENVIRONMENT'
  | 'SELECTED_DB'
  | 'DB_HOST'
  | 'DB_PORT'
  | 'DB_DATABASE'
  | 'DB_USER'
  | 'DB_PASSWORD'
  | 'TABLES_PREFIX'
  | 'DATABASE_URL'
  | 'databaseUrl'
  | 'DB_STATEMENT_TIMEOUT_MS'
  | 'DB_POOL_ACQUIRE_TIMEOUT_MS'
>;

/** Connection pool. Server databases default to min 0, max 10; SQLite to exactly one connection. */
export interface DbPoolOptions {
  /** Connections kept open even when idle. Default 0 (server databases), 1 (SQLite). */
  readonly min?: number;
  /** Most connections at once. Default 10 (server databases), 1 (SQLite: one writer; `:memory:` lives in its connection). */
  readonly max?: number;
  /** Milliseconds an idle connection above `min` is kept. Default 30 000. */
  readonly idleTimeoutMillis?: number;
  /** Milliseconds a query waits for a free connection (or a new one) before failing. Default `DB_POOL_ACQUIRE_TIMEOUT_MS` (5 000). */
  readonly acquireTimeoutMillis?: number;
}

/**
 * Options of `createDbEngine`: MikroORM's own options (they win over what m8 derives), plus `pool`.
 * `entities` may be empty (raw SQL only, or `m8-prestart`).
 */
export type CreateDbEngineOptions = Partial<Omit<Options, 'pool'>> & {
  readonly pool?: DbPoolOptions;
  /** Milliseconds `healthCheck()` waits for `SELECT 1` before answering `fail`. Default 2 000. */
  readonly healthCheckTimeoutMs?: number;
  /** Milliseconds to open one TCP connection (pg `connectionTimeoutMillis`, mysql2 `connectTimeout`). Default 5 000. */
  readonly connectTimeoutMs?: number;
};

const SERVER_POOL = { min: 0, max: 10, idleTimeoutMillis: 30_000 } as const;
const SQLITE_POOL = { min: 1, max: 1, idleTimeoutMillis: 30_000 } as const;
/** Extra time the client-side guard gives a statement beyond the server's own timeout. */
const CLIENT_GUARD_MARGIN_MS = 1_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Checks the settings (one `SettingsError` listing every missing field) and builds MikroORM's options. */
export function buildOrmOptions(
  settings: DbSettings,
  options: CreateDbEngineOptions,
  driver: Constructor<IDatabaseDriver>,
  context: (name: string) => EntityManager | undefined,
): Options {
  const problems = databaseProblems(settings);
  if (problems.length > 0) throw new SettingsError(problems, 'database settings');

  const sqlite = settings.SELECTED_DB === 'Sqlite';
  const { pool, entities, discovery, driverOptions, healthCheckTimeoutMs: _h, connectTimeoutMs, ...overrides } = options;
  const connectTimeout = connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const timeoutOption = connectionTimeouts(settings, connectTimeout);
  const userDriverOptions = (driverOptions ?? {}) as { connection?: object };
  const sessionSetup = settings.SELECTED_DB === 'Mysql' && settings.DB_STATEMENT_TIMEOUT_MS > 0 ? { afterCreate: mysqlStatementTimeout(settings.DB_STATEMENT_TIMEOUT_MS) } : {};
  return {
    driver,
    ...(sqlite ? { dbName: sqliteLocation(settings.databaseUrl) } : { clientUrl: settings.databaseUrl }),
    entities: entities ?? [],
    discovery: { warnWhenNoEntities: (entities?.length ?? 0) > 0, ...discovery },
    namingStrategy: prefixedNamingStrategy(settings.TABLES_PREFIX),
    pool: { ...(sqlite ? SQLITE_POOL : SERVER_POOL), acquireTimeoutMillis: settings.DB_POOL_ACQUIRE_TIMEOUT_MS, ...sessionSetup, ...pool } satisfies PoolConfig,
    driverOptions: { ...userDriverOptions, connection: { ...timeoutOption, ...userDriverOptions.connection } },
    // Creating databases is a deployment's job, and it would cost a round trip at every start.
    ensureDatabase: false,
    allowGlobalContext: false,
    context,
    ...overrides,
  };
}

/**
 * Per-driver bounds on every wait (a frozen server must turn into errors, not hung requests):
 * - PostgreSQL: `statement_timeout` (the server cancels, SQLSTATE 57014) and pg's client-side
 *   `query_timeout` a second later (a frozen or unreachable server cannot cancel anything);
 * - SQLite (libsql): the busy timeout, how long a statement waits for the file lock;
 * - MySQL/MariaDB: see `mysqlStatementTimeout`; plus the connect timeout for both server drivers.
 */
function connectionTimeouts(settings: DbSettings, connectTimeout: number): Record<string, number> {
  const statementMs = settings.DB_STATEMENT_TIMEOUT_MS;
  switch (settings.SELECTED_DB) {
    case 'Postgres':
      return {
        connectionTimeoutMillis: connectTimeout,
        ...(statementMs > 0 ? { statement_timeout: statementMs, query_timeout: statementMs + CLIENT_GUARD_MARGIN_MS } : {}),
      };
    case 'Mysql':
      return { connectTimeout };
    default:
      return statementMs > 0 ? { timeout: statementMs / 1000 } : {};
  }
}

type QueryCallback = (error: (Error & { code?: string }) | null, ...results: unknown[]) => void;

interface RawMysqlConnection {
  query(sql: string | Record<string, unknown>, values?: unknown, callback?: QueryCallback): unknown;
  destroy(): void;
}

/**
 * knex pool hook for each new MySQL/MariaDB connection:
 * - a session statement limit: MariaDB's `max_statement_time` (seconds), or, where that variable
 *   does not exist, MySQL's `max_execution_time` (milliseconds, SELECT only);
 * - a client-side guard (mysql2's per-query `timeout`, `ms` + 1 s), because a frozen or unreachable
 *   server cannot enforce its own limit. A guarded query that times out destroys its connection:
 *   the statement may still be running there, and queries queued behind it would wait unbounded.
 */
function mysqlStatementTimeout(ms: number): (connection: RawMysqlConnection, done: (error: Error | null, connection: RawMysqlConnection) => void) => void {
  return (connection, done) => {
    guardQueries(connection, ms + CLIENT_GUARD_MARGIN_MS);
    connection.query(`SET SESSION max_statement_time = ${ms / 1000}`, (mariadbError: Error | null) => {
      if (!mariadbError) return done(null, connection);
      connection.query(`SET SESSION max_execution_time = ${Math.round(ms)}`, (mysqlError: Error | null) => done(mysqlError, connection));
    });
  };
}

/** Wraps this one connection's `query` (knex calls it with an options object) to add a `timeout`. */
function guardQueries(connection: RawMysqlConnection, timeoutMs: number): void {
  const query = connection.query.bind(connection);
  connection.query = (sql, values, callback) => {
    if (typeof sql !== 'object' || sql === null || sql.timeout !== undefined) return query(sql, values, callback);
    const done = (typeof values === 'function' ? values : callback) as QueryCallback | undefined;
    const guarded: QueryCallback = (error, ...results) => {
      if (error?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection.destroy();
      done?.(error, ...results);
    };
    const options = { ...sql, timeout: timeoutMs };
    return typeof values === 'function' ? query(options, guarded) : query(options, values, guarded);
  };
}

/**
 * `sqlite:<path>` (core's derived form), `sqlite:///<path>` (SQLAlchemy's) or a bare path → the
 * file MikroORM opens. `:memory:` (or an empty path) stays in memory; `libsql://` URLs pass through unchanged.
 */
export function sqliteLocation(url: string): string {
  const match = /^sqlite:(?:\/\/\/?)?(.*)$/.exec(url);
  if (!match) return url;
  return match[1] === '' ? ':memory:' : (match[1] as string);
}

// MikroORM instantiates the naming strategy itself, without arguments: bake the prefix into a class.
function prefixedNamingStrategy(prefix: string): new () => NamingStrategy {
  return class PrefixedNamingStrategy extends TablePrefixNamingStrategy {
    constructor() {
      super(prefix);
    }
  };
}
