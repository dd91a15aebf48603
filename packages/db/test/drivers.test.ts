import { describe, expect, it } from 'vitest';
import { MissingPackageError } from '@m8/core';
import { DRIVERS, installCommand } from '@m8/db';
import { loadDriver, loadPackageExport } from '../src/drivers';

describe('drivers', () => {
  it('maps SELECTED_DB to the MikroORM driver packages', () => {
    expect(Object.fromEntries(Object.entries(DRIVERS).map(([db, info]) => [db, info.packageName]))).toEqual({
      Postgres: '@mikro-orm/postgresql',
      Mysql: '@mikro-orm/mysql',
      Sqlite: '@mikro-orm/libsql',
    });
  });

  it('names the exact install command, pinned to the MikroORM version, in the running package manager', () => {
    const npm = { npm_config_user_agent: 'npm/11.6.2 node/v24.22.3 linux x64 workspaces/false' };
    const pnpm = { npm_config_user_agent: 'pnpm/12.4.2 npm/? node/v24.22.3 linux x64' };
    expect(installCommand('Postgres', npm)).toBe('npm install @mikro-orm/postgresql@6.6.16');
    expect(installCommand('Sqlite', pnpm)).toBe('pnpm add @mikro-orm/libsql@6.6.16');
    expect(installCommand('Mysql', {})).toBe('npm install @mikro-orm/mysql@6.6.16'); // `node dist/main.js`: no agent
  });

  it('loads each installed driver class lazily', () => {
    expect(loadDriver('Postgres').name).toBe('PostgreSqlDriver');
    expect(loadDriver('Mysql').name).toBe('MySqlDriver');
    expect(loadDriver('Sqlite').name).toBe('LibSqlDriver');
  });

  it('fails with ERR_M8_MISSING_PACKAGE and the install command when the package is absent', () => {
    let error: unknown;
    try {
      loadPackageExport('@mikro-orm/not-installed', 'Driver', 'pnpm add @mikro-orm/not-installed@6.6.16', 'SELECTED_DB=Nope');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingPackageError);
    expect(error).toMatchObject({ code: 'ERR_M8_MISSING_PACKAGE' });
    expect((error as Error).message).toContain('pnpm add @mikro-orm/not-installed@6.6.16');
    expect((error as Error).message).toContain('SELECTED_DB=Nope');
  });
});
