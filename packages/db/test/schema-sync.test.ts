/**
 * `engine.updateSchema()` only adds: it creates missing tables, columns and indexes, reports what
 * differs without applying it, never touches another table, and refuses `allowDataLoss` outside
 * `local`. On SQLite, PostgreSQL and MariaDB, each in a database of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntitySchema } from '@mikro-orm/core';
import { bootstrap } from '@m8/core';
import { createDbEngine, DestructiveSchemaRefusedError, type DbEngine } from '@m8/db';
import { testSettings } from './support/fixtures';
import { probeServers } from './support/servers';
import { createScratchDatabase, type ScratchDatabase } from '../../../test/support/scratch-database';

/** Version 1 of the entity. */
class Note {
  id!: number;
  title!: string;
}

/** Version 2 adds `body` (a class of its own: a subclass would read as inheritance to MikroORM). */
class NoteWithBody {
  id!: number;
  title!: string;
  body?: string;
}

const NoteV1 = new EntitySchema<Note>({
  class: Note,
  tableName: 'note',
  properties: { id: { type: 'integer', primary: true }, title: { type: 'string', length: 50 } },
});

/** Version 2: a new column and an index; `title` narrowed (SQLite ignores lengths) and made nullable. */
const NoteV2 = new EntitySchema<NoteWithBody>({
  class: NoteWithBody,
  tableName: 'note',
  indexes: [{ properties: ['body'], name: 'note_body_idx' }],
  properties: {
    id: { type: 'integer', primary: true },
    title: { type: 'string', length: 10, nullable: true },
    body: { type: 'string', length: 100, nullable: true },
  },
});

const up = new Map(probeServers().map(({ server, up }) => [server.selected, up]));
const databases = [
  { name: 'SQLite', selected: 'Sqlite', up: true },
  { name: 'PostgreSQL', selected: 'Postgres', up: up.get('Postgres') === true },
  { name: 'MariaDB', selected: 'Mysql', up: up.get('Mysql') === true },
] as const;

const DEPLOYED = {
  ACCESS_SECRET_KEY: 'db-tests-Zq8Lw2Xv9Rt4Ny6Mp1Kb3Jc5Hd7Gf0SeAu',
  DOMAIN: 'db.m8.test',
  BACKEND_HOST: 'https://api.db.m8.test',
  FRONTEND_HOST: 'https://db.m8.test',
  SET_OPEN_API: false,
};

for (const db of databases) {
  describe.skipIf(!db.up)(`updateSchema() on ${db.name}`, () => {
    let scratch: ScratchDatabase;
    const engines: DbEngine[] = [];
    const engine = async (entity: EntitySchema<Note> | EntitySchema<NoteWithBody>, environment = 'local'): Promise<DbEngine> => {
      // Outside local the settings must also pass the configuration posture (no local defaults, strong key).
      const deployed = environment === 'local' ? {} : DEPLOYED;
      const created = await createDbEngine(testSettings({ ...scratch.values, ...deployed, ENVIRONMENT: environment, TABLES_PREFIX: 'app' }), { entities: [entity] });
      engines.push(created);
      return created;
    };

    beforeAll(async () => {
      scratch = await createScratchDatabase(db.selected, 'sync');
      await scratch.sql('create table other_app_orders (id integer primary key, total integer)');
      await scratch.sql('insert into other_app_orders (id, total) values (1, 10), (2, 20)');
    });
    afterAll(async () => {
      for (const e of engines) await e.dispose();
      await scratch?.drop();
    });

    it('creates the missing table and reports it', async () => {
      const report = await (await engine(NoteV1)).updateSchema();
      expect(report).toEqual({ created: ['table note'], notApplied: [], foreignColumns: [] });
      await scratch.sql("insert into note (id, title) values (1, 'a title longer than ten')");
      await scratch.sql('alter table note add column legacy varchar(20)');
      await scratch.sql("update note set legacy = 'keep me' where id = 1");
    });

    it('adds the new column and index, keeps the foreign column, and only reports the narrowed one', async () => {
      const report = await (await engine(NoteV2)).updateSchema();
      expect(report.created).toEqual(['column note.body', 'index note_body_idx']);
      expect(report.notApplied).toEqual([expect.stringMatching(/^column note\.title differs \(.+\)$/)]);
      expect(report.foreignColumns).toEqual(['note.legacy']);
      expect(await scratch.sql('select title, legacy, body from note')).toEqual([{ title: 'a title longer than ten', legacy: 'keep me', body: null }]);
      expect(await scratch.sql('select id, total from other_app_orders order by id')).toEqual([
        { id: 1, total: 10 },
        { id: 2, total: 20 },
      ]);
    });

    it('is idempotent: a second run creates nothing', async () => {
      const report = await (await engine(NoteV2)).updateSchema();
      expect(report.created).toEqual([]);
    });

    it('refuses allowDataLoss outside local, with a coded error, and changes nothing', async () => {
      const production = await engine(NoteV2, 'production');
      const refused = await production.updateSchema({ allowDataLoss: true }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DestructiveSchemaRefusedError);
      expect((refused as DestructiveSchemaRefusedError).code).toBe('ERR_M8_DB_DESTRUCTIVE_SCHEMA_REFUSED');
      expect(await scratch.sql('select legacy from note')).toEqual([{ legacy: 'keep me' }]);
    });

    it('with allowDataLoss in local, drops the undeclared column of its own table but never another table', async () => {
      await scratch.sql("update note set title = 'short'"); // fits the narrowed column
      const report = await (await engine(NoteV2)).updateSchema({ allowDataLoss: true });
      expect(report.notApplied).toEqual([]);
      const columns = (await scratch.sql<{ name: string }>(columnsSql(db.selected))).map((c) => c.name.toLowerCase()).sort();
      expect(columns).toEqual(['body', 'id', 'title']);
      expect(await scratch.sql('select count(*) as n from other_app_orders')).toEqual([{ n: db.selected === 'Postgres' ? '2' : 2 }]);
    });
  });
}

function columnsSql(selected: 'Sqlite' | 'Postgres' | 'Mysql'): string {
  if (selected === 'Sqlite') return "select name from pragma_table_info('note')";
  if (selected === 'Postgres') return "select column_name as name from information_schema.columns where table_name = 'note' and table_schema = current_schema()";
  return "select column_name as name from information_schema.columns where table_name = 'note' and table_schema = database()";
}

describe('updateSchema() in a service', () => {
  it('logs what it created, and what it left alone with a pointer to migrations', async () => {
    const scratch = await createScratchDatabase('Sqlite');
    const lines: Array<{ event?: string; msg: string; notApplied?: string[] }> = [];
    const logger = { destination: { write: (line: string) => (lines.push(JSON.parse(line) as (typeof lines)[number]), true) } };
    const settings = testSettings({ ...scratch.values, TABLES_PREFIX: 'app' });
    const first = await createDbEngine(settings, { entities: [NoteV1] });
    const second = await createDbEngine(settings, { entities: [NoteV2] });
    try {
      const app = await bootstrap(settings, { controllers: [], plugins: [first], logger });
      await first.updateSchema();
      await app.close();
      const later = await bootstrap(settings, { controllers: [], plugins: [second], logger });
      await second.updateSchema();
      await later.close();
      expect(lines.filter((l) => l.event === 'schema_sync').map((l) => l.msg)).toEqual([
        'schema: created table note',
        'schema: created column note.body, index note_body_idx',
      ]);
      const drift = lines.find((l) => l.event === 'schema_drift');
      expect(drift?.notApplied).toEqual([expect.stringMatching(/^column note\.title differs/)]);
      expect(drift?.msg).toMatch(/write a migration/);
    } finally {
      await scratch.drop();
    }
  });
});
