/**
 * A service written as users write it: `container.resolve(DbEngine)` with tsyringe's own container,
 * inside an `@injectable()` service and a plain function, during requests, on SQLite, PostgreSQL
 * and MariaDB. Each server run creates its own database and drops it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Body, Get, HttpCode, JsonController, Post } from 'routing-controllers';
import { container, injectable } from 'tsyringe';
import { bootstrap, type M8App } from '@m8/core';
import { createDbEngine, DbEngine } from '@m8/db';
import { Item, ItemSchema, testSettings } from './support/fixtures';
import { probeServers } from './support/servers';

/** A plain function, no injection: the request's engine through the global container. */
function countItems(): Promise<number> {
  return container.resolve(DbEngine).em.count(Item, {});
}

@injectable()
class ItemService {
  async add(name: string): Promise<Item> {
    const db = container.resolve(DbEngine);
    const item = db.em.create(Item, { name, qty: 1 });
    await db.em.flush();
    return item;
  }

  /** Whether the global container gave this request's engine and EntityManager. */
  sameAsRequest(engine: DbEngine): boolean {
    return container.resolve(DbEngine) === engine && container.resolve(DbEngine).em === engine.em;
  }
}

@JsonController('/global-items')
class GlobalItemsController {
  @Post('/')
  @HttpCode(201)
  add(@Body() body: { name: string }) {
    return container.resolve(ItemService).add(body.name);
  }

  @Get('/')
  async list() {
    const engine = container.resolve(DbEngine);
    return { count: await countItems(), same: container.resolve(ItemService).sameAsRequest(engine), driver: engine.driver };
  }
}

interface Target {
  readonly name: string;
  readonly up: boolean;
  readonly driver: string;
  /** Creates the database and answers the settings that reach it; `drop()` removes it. */
  create(): Promise<{ values: Record<string, unknown>; drop: () => Promise<void> }>;
}

const unique = (): string => `m8_di_${randomBytes(5).toString('hex')}`;

const sqlite: Target = {
  name: 'SQLite',
  up: true,
  driver: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'm8-di-'));
    return { values: { SELECTED_DB: 'Sqlite', DB_DATABASE: join(dir, 'app.sqlite3') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const servers: Target[] = probeServers().map(({ server, up }) => ({
  name: server.name,
  up,
  driver: server.driver,
  async create() {
    const database = unique();
    const admin = await createDbEngine(testSettings(server.values));
    await admin.orm.em.getConnection().execute(`create database ${database}`);
    await admin.dispose();
    return {
      values: { ...server.values, DB_DATABASE: database },
      drop: async () => {
        const again = await createDbEngine(testSettings(server.values));
        try {
          await again.orm.em.getConnection().execute(`drop database if exists ${database}`);
        } finally {
          await again.dispose();
        }
      },
    };
  },
}));

for (const target of [sqlite, ...servers]) {
  describe.skipIf(!target.up)(`container.resolve(DbEngine) on ${target.name}${target.up ? '' : ' (SKIPPED: the server is down)'}`, () => {
    let app: M8App | undefined;
    let url = '';
    let drop: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      const created = await target.create();
      drop = created.drop;
      const settings = testSettings(created.values);
      const engine = await createDbEngine(settings, { entities: [ItemSchema] });
      await engine.updateSchema();
      app = await bootstrap(settings, { controllers: [GlobalItemsController], plugins: [engine], logger: { destination: { write: () => true } } });
      ({ url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false }));
    });
    afterAll(async () => {
      await app?.close();
      await drop?.();
    });

    it('writes and reads through the engine the global container resolves, in a service and a function', async () => {
      const created = await fetch(`${url}/api/global-items/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'pear' }) });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ id: 1, name: 'pear', qty: 1 });
      const listed = await fetch(`${url}/api/global-items/`);
      expect(await listed.json()).toEqual({ count: 1, same: true, driver: target.driver });
    });

    it('is the app container’s engine after start, outside any request', () => {
      expect(container.resolve(DbEngine)).toBe(app!.container.resolve(DbEngine));
    });
  });
}
