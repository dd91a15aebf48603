import { afterEach, describe, expect, it, vi } from 'vitest';

import { DbDriverMissingError, DRIVERS, installCommand } from '@m8/db';
import { loadDriver, loadPackageExport } from '../src/drivers';

describe('drivers', () => {
  it('maps SELECTED_DB to the MikroORM driver packages', () => {
    expect(Object.fromEntries(Object.entries(DRIVERS).map(([db, info]) => [db, info.packageName]))).toEqual({
      Postgres: '@mikro-orm/postgresql',
      Mysql: '@mikro-orm/mysql',
      Sqlite: '@mikro-orm/libsql',
    });
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('names the exact install command, pinned to the MikroORM version, for the package manager in use', () => {
    vi.stubEnv('npm_config_user_agent', 'pnpm/12.4.2 npm/? node/v20.20.2 linux x64');
    expect(installCommand('Postgres')).toBe('pnpm add @mikro-orm/postgresql@6.6.16');
    vi.stubEnv('npm_config_user_agent', 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false');
    expect(installCommand('Sqlite')).toBe('npm install @mikro-orm/libsql@6.6.16');
    vi.stubEnv('npm_config_user_agent', '');
    expect(installCommand('Mysql')).toBe('npm install @mikro-orm/mysql@6.6.16'); // `node dist/main.js`: no agent
  });

  it('loads each installed driver class lazily', () => {
    expect(loadDriver('Postgres').name).toBe('PostgreSqlDriver');
    expect(loadDriver('Mysql').name).toBe('MySqlDriver');
    expect(loadDriver('Sqlite').name).toBe('LibSqlDriver');
  });

  it('fails with ERR_M8_DB_DRIVER_MISSING and the install command when the package is absent', () => {
    let error: unknown;
    try {
      loadPackageExport('@mikro-orm/not-installed', 'Driver', 'pnpm add @mikro-orm/not-installed@6.6.16', 'SELECTED_DB=Nope');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DbDriverMissingError);
    expect(error).toMatchObject({ code: 'ERR_M8_DB_DRIVER_MISSING' });
    expect((error as Error).message).toContain('pnpm add @mikro-orm/not-installed@6.6.16');
    expect((error as Error).message).toContain('SELECTED_DB=Nope');
  });
});
