/**
 * A service written as users write it: `container.resolve(DbEngine)` with tsyringe's own container,
 * inside an `@injectable()` service and a plain function, during requests, on SQLite, PostgreSQL
 * and MariaDB, each run in a database of its own (dropped after).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Body, Get, HttpCode, JsonController, Post } from 'routing-controllers';
import { container, injectable } from 'tsyringe';
import { bootstrap, NotProvidedError, type M8App } from '@m8/core';
import { createDbEngine, DbEngine } from '@m8/db';
import { Item, ItemSchema, testSettings } from './support/fixtures';
import { probeServers } from './support/servers';
import { createScratchDatabase, type ScratchDatabase } from '../../../test/support/scratch-database';

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

const targets = [
  { name: 'SQLite', selected: 'Sqlite' as const, up: true, driver: 'sqlite' },
  ...probeServers().map(({ server, up }) => ({ name: server.name, selected: server.selected, up, driver: server.driver })),
];

for (const target of targets) {
  describe.skipIf(!target.up)(`container.resolve(DbEngine) on ${target.name}${target.up ? '' : ' (SKIPPED: the server is down)'}`, () => {
    let app: M8App | undefined;
    let url = '';
    let scratch: ScratchDatabase | undefined;

    beforeAll(async () => {
      scratch = await createScratchDatabase(target.selected, 'di');
      const settings = testSettings({ ...scratch.values });
      const engine = await createDbEngine(settings, { entities: [ItemSchema] });
      await engine.updateSchema();
      app = await bootstrap(settings, { controllers: [GlobalItemsController], plugins: [engine], logger: { destination: { write: () => true } } });
      ({ url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false }));
    });
    afterAll(async () => {
      await app?.close();
      await scratch?.drop();
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

describe('an app without the db plugin', () => {
  it('answers container.resolve(DbEngine) with NotProvidedError, never another app’s engine', async () => {
    const app = await bootstrap(testSettings({ SELECTED_DB: 'Sqlite', DB_DATABASE: ':memory:' }), { controllers: [], logger: { destination: { write: () => true } } });
    await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    try {
      expect(() => container.resolve(DbEngine)).toThrow(NotProvidedError);
      expect(() => container.resolve(DbEngine)).toThrow(expect.objectContaining({ code: 'ERR_M8_NOT_PROVIDED' }));
    } finally {
      await app.close();
    }
  });
});
