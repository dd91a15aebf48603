/**
 * Throwaway databases for tests. The machine's PostgreSQL and MariaDB are shared: a test never
 * creates tables in, alters or drops anything it did not create. Each suite asks for a database
 * of its own, uniquely named, and drops only that one afterwards; SQLite gets a temp file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsumerServiceSettings, type SelectedDb } from '@m8/core';
import { createDbEngine, type DbEngine } from '@m8/db';

/** How the tests reach each server of this machine as its admin user. */
export const SERVER_VALUES = {
  Postgres: { SELECTED_DB: 'Postgres', DB_HOST: '127.0.0.1', DB_PORT: 5432, DB_USER: 'postgres' },
  Mysql: { SELECTED_DB: 'Mysql', DB_HOST: '127.0.0.1', DB_PORT: 3306, DB_USER: 'root' },
} as const;

export interface ScratchDatabase {
  /** The database's name (a file path for SQLite). */
  readonly name: string;
  /** Settings values reaching it: `SELECTED_DB`, `DB_*`. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Runs SQL in it on a connection of its own (for arranging and inspecting what a test needs). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** Drops the database (or deletes the file) and closes the admin connection. Idempotent. */
  drop(): Promise<void>;
}

export function uniqueDatabaseName(tag = 't'): string {
  return `m8_${tag}_${process.pid}_${randomBytes(3).toString('hex')}`.toLowerCase();
}

function settings(values: Record<string, unknown>): ConsumerServiceSettings {
  return ConsumerServiceSettings.load({
    values: { PROJECT_NAME: 'scratch database', TOKEN_MODE: 'stateless', ACCESS_SECRET_KEY: 'k'.repeat(32), ...values },
    env: {},
    envFile: false,
  });
}

/**
 * Creates an empty database on `selected`'s server (or a temp SQLite file). `admin` overrides the admin
 * connection values (the database probe tries other ports and roles).
 */
export async function createScratchDatabase(selected: SelectedDb, tag?: string, admin: Readonly<Record<string, unknown>> = {}): Promise<ScratchDatabase> {
  if (selected === 'Sqlite') return scratchSqlite();
  const name = uniqueDatabaseName(tag);
  const values = { ...SERVER_VALUES[selected], ...admin, DB_DATABASE: name };
  return scratchOnServer(name, values);
}

async function scratchOnServer(name: string, values: Record<string, unknown>): Promise<ScratchDatabase> {
  // An engine on the new name: MikroORM's ensureDatabase() creates it through the server's
  // management database, and dropDatabase() drops it the same way.
  const admin: DbEngine = await createDbEngine(settings(values));
  try {
    await admin.orm.getSchemaGenerator().ensureDatabase();
  } catch (error) {
    await admin.dispose();
    throw error;
  }
  let dropped: Promise<void> | undefined;
  return {
    name,
    values,
    sql: (query, params = []) => admin.orm.em.getConnection().execute(query, params, 'all'),
    drop: () =>
      (dropped ??= (async () => {
        try {
          await admin.orm.getSchemaGenerator().dropDatabase(name);
        } finally {
          await admin.dispose();
        }
      })()),
  };
}

async function scratchSqlite(): Promise<ScratchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'm8-sqlite-'));
  const file = join(dir, 'test.sqlite3');
  const values = { SELECTED_DB: 'Sqlite', DB_DATABASE: file };
  const admin = await createDbEngine(settings(values));
  let dropped: Promise<void> | undefined;
  return {
    name: file,
    values,
    sql: (query, params = []) => admin.orm.em.getConnection().execute(query, params, 'all'),
    drop: () =>
      (dropped ??= (async () => {
        await admin.dispose();
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
}
