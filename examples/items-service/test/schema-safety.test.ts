/**
 * Starting the example never destroys data it does not own. A database that already holds a table
 * of someone else's (with rows), and an owned table that holds a column no entity declares (with
 * values), keeps both through two starts of the service in `local`, where the start-up schema step
 * runs. On SQLite, PostgreSQL and MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { M8App } from '@m8/core';
import { DbEngine } from '@m8/db';
import { createApp } from '../src/app';
import { Settings } from '../src/core/config';
import { createScratchDatabase, type ScratchDatabase } from '../../../test/support/scratch-database';
import { mariadbUp, postgresUp } from './servers';

const databases = [
  { name: 'SQLite (embedded)', up: true, selected: 'Sqlite' },
  { name: 'PostgreSQL', up: postgresUp, selected: 'Postgres' },
  { name: 'MariaDB', up: mariadbUp, selected: 'Mysql' },
] as const;

async function start(values: Record<string, unknown>): Promise<M8App<Settings>> {
  const settings = Settings.load({
    values: {
      PROJECT_NAME: 'schema safety',
      ENVIRONMENT: 'local',
      TOKEN_MODE: 'stateless',
      AUTH_SERVICE_ROLE: 'consumer',
      ACCESS_SECRET_KEY: 'schema-safety-secret-0123456789abcdef',
      LOG_LEVEL: 'silent',
      ...values,
    },
    env: {},
    envFile: false,
  });
  const app = await createApp(settings);
  await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  return app;
}

for (const db of databases) {
  describe.skipIf(!db.up)(`the example's start-up schema step on ${db.name}`, () => {
    let scratch: ScratchDatabase;
    let itemTable: string;

    beforeAll(async () => {
      scratch = await createScratchDatabase(db.selected, 'hazard');
      await scratch.sql('create table precious (id integer primary key, v varchar(20))');
      await scratch.sql("insert into precious (id, v) values (1, 'a'), (2, 'b'), (3, 'c')");
    });
    afterAll(async () => {
      await scratch?.drop();
    });

    it('creates its own table and leaves a foreign table and its rows in place', async () => {
      const app = await start(scratch.values);
      try {
        itemTable = app.container.resolve(DbEngine).orm.getMetadata().find('Item')!.tableName;
        expect(await scratch.sql(`select count(*) as n from ${itemTable}`)).toEqual([{ n: expect.anything() }]);
      } finally {
        await app.close();
      }
      expect(await scratch.sql('select id, v from precious order by id')).toEqual([
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
        { id: 3, v: 'c' },
      ]);
    });

    it('keeps a column of its own table that no entity declares, with its values, across a restart', async () => {
      await scratch.sql(`alter table ${itemTable} add column legacy_note varchar(40)`);
      await scratch.sql(
        `insert into ${itemTable} (id, title, owner_id, created_at, updated_at, legacy_note) values (?, ?, ?, ?, ?, ?)`,
        ['5b1e3f9c-8a51-4c1e-9a44-2d0c7f1a0b11', 'kept', '0f8fad5b-d9cb-469f-a165-70867728950e', new Date(0), new Date(0), 'from another app'],
      );
      const app = await start(scratch.values);
      await app.close();
      expect(await scratch.sql(`select title, legacy_note from ${itemTable}`)).toEqual([{ title: 'kept', legacy_note: 'from another app' }]);
      expect(await scratch.sql('select count(*) as n from precious')).toEqual([{ n: db.selected === 'Postgres' ? '3' : 3 }]);
    });
  });
}
