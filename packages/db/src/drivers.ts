/**
 * The three drivers `SELECTED_DB` can pick, each an optional peer package loaded only when used.
 */
import type { IDatabaseDriver, Constructor } from '@mikro-orm/core';
import type { SelectedDb } from '@m8/core';
import { installCommand as installHint } from '@m8/core/internal';
import { DbDriverMissingError } from './errors';

/** The MikroORM version every driver package must match (MikroORM refuses mixed versions). */
export const MIKRO_ORM_VERSION = '6.6.16';

interface DriverInfo {
  /** npm package providing the driver. */
  readonly packageName: string;
  /** Name of the driver class the package exports. */
  readonly exportName: string;
  /** Short name reported by health checks and errors. */
  readonly label: string;
}

/** `SELECTED_DB` → the MikroORM driver package. MariaDB speaks the MySQL protocol. */
export const DRIVERS: Readonly<Record<SelectedDb, DriverInfo>> = Object.freeze({
  Postgres: { packageName: '@mikro-orm/postgresql', exportName: 'PostgreSqlDriver', label: 'postgresql' },
  Mysql: { packageName: '@mikro-orm/mysql', exportName: 'MySqlDriver', label: 'mysql' },
  Sqlite: { packageName: '@mikro-orm/libsql', exportName: 'LibSqlDriver', label: 'sqlite' },
});

/** The exact command that installs the driver for `db`. */
export function installCommand(db: SelectedDb): string {
  return installHint([`${DRIVERS[db].packageName}@${MIKRO_ORM_VERSION}`]);
}

type DriverClass = Constructor<IDatabaseDriver>;

/**
 * Loads the driver class for `db`, or throws `DbDriverMissingError` (`ERR_M8_DB_DRIVER_MISSING`)
 * naming the install command. The package is looked up next to @m8/db first (pnpm links peers
 * there), then from the working directory, so it resolves to the same @mikro-orm/core as ours.
 */
export function loadDriver(db: SelectedDb): DriverClass {
  const info = DRIVERS[db];
  return loadPackageExport(info.packageName, info.exportName, installCommand(db), `SELECTED_DB=${db}`) as DriverClass;
}

/** `require(packageName)[exportName]`, or one readable error with the install command. */
export function loadPackageExport(packageName: string, exportName: string, install: string, purpose: string): unknown {
  let resolved: string;
  try {
    resolved = require.resolve(packageName, { paths: [__dirname, process.cwd()] });
  } catch {
    throw new DbDriverMissingError(packageName, install, purpose);
  }
  const value = (require(resolved) as Record<string, unknown>)[exportName];
  if (value === undefined) throw new DbDriverMissingError(packageName, install, `${purpose} (its ${exportName} export)`);
  return value;
}
