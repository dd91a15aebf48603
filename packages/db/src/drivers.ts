/**
 * The three drivers `SELECTED_DB` can pick, each an optional peer package loaded only when used.
 */
import type { IDatabaseDriver, Constructor } from '@mikro-orm/core';
import { loadOptional } from '@m8/core';
import type { SelectedDb } from '@m8/core';
import { installHint } from './install-hint';

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

/** The exact command that installs the driver for `db`, in the package manager running this process. */
export function installCommand(db: SelectedDb, env: NodeJS.ProcessEnv = process.env): string {
  return installHint(`${DRIVERS[db].packageName}@${MIKRO_ORM_VERSION}`, env);
}

type DriverClass = Constructor<IDatabaseDriver>;

/**
 * Loads the driver class for `db`, or throws core's `MissingPackageError` (`ERR_M8_MISSING_PACKAGE`)
 * naming the install command. The package is looked up next to @m8/db first (pnpm links peers
 * there), then from the working directory, so it resolves to the same @mikro-orm/core as ours.
 */
export function loadDriver(db: SelectedDb): DriverClass {
  const info = DRIVERS[db];
  return loadPackageExport(info.packageName, info.exportName, installCommand(db), `SELECTED_DB=${db}`) as DriverClass;
}

/** `require(packageName)[exportName]`, or one readable error with the install command. */
export function loadPackageExport(packageName: string, exportName: string, install: string, purpose: string): unknown {
  let resolved: string | undefined;
  try {
    resolved = require.resolve(packageName, { paths: [__dirname, process.cwd()] });
  } catch {
    // Not next to us: core's loader tries its own paths and throws the readable error.
  }
  const mod = (resolved ? require(resolved) : loadOptional(packageName, install, purpose)) as Record<string, unknown>;
  const value = mod[exportName];
  if (value === undefined) throw new TypeError(`${packageName} does not export ${exportName}; install it with: ${install}`);
  return value;
}
