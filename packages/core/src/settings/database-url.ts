/** The database URL derived from `SELECTED_DB` and the `DB_*` fields, unless `DATABASE_URL` overrides it. */
import type { SettingsProblem } from './settings-error';

interface DbFields {
  readonly SELECTED_DB: 'Mysql' | 'Postgres' | 'Sqlite';
  readonly DB_HOST?: string;
  readonly DB_PORT?: number;
  readonly DB_DATABASE?: string;
  readonly DB_USER?: string;
  readonly DB_PASSWORD?: string;
  readonly DATABASE_URL?: string;
}

const SCHEMES = { Postgres: 'postgresql', Mysql: 'mysql' } as const;
export const DEFAULT_DB_PORTS = { Postgres: 5432, Mysql: 3306 } as const;
/** Where the embedded database lives when `DB_DATABASE` is not set. */
export const DEFAULT_SQLITE_FILE = './data/app.sqlite3';

export function deriveDatabaseUrl(s: DbFields): string {
  if (s.DATABASE_URL) return s.DATABASE_URL;
  if (s.SELECTED_DB === 'Sqlite') return `sqlite:${s.DB_DATABASE ?? DEFAULT_SQLITE_FILE}`;
  // encodeURIComponent escapes every character with a meaning in a URL's authority (@ : / % + ...).
  const user = encodeURIComponent(s.DB_USER ?? '');
  const password = s.DB_PASSWORD ? `:${encodeURIComponent(s.DB_PASSWORD)}` : '';
  const auth = user || password ? `${user}${password}@` : '';
  const port = s.DB_PORT ?? DEFAULT_DB_PORTS[s.SELECTED_DB];
  return `${SCHEMES[s.SELECTED_DB]}://${auth}${s.DB_HOST ?? ''}:${port}/${encodeURIComponent(s.DB_DATABASE ?? '')}`;
}

/** What a database engine needs; checked by `createDbEngine`, not at every load (a service may have no database). */
export function databaseProblems(s: DbFields): SettingsProblem[] {
  if (s.DATABASE_URL || s.SELECTED_DB === 'Sqlite') return [];
  const missing = (['DB_HOST', 'DB_DATABASE', 'DB_USER'] as const).filter((name) => !s[name]);
  return missing.map((name) => ({ name, problem: `is required when SELECTED_DB=${s.SELECTED_DB} and DATABASE_URL is not set` }));
}
