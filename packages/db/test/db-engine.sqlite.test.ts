import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDbEngine, DbEngine, withRequestScope } from '@m8/db';
import { expectOwnEntityManagers, Item, ItemSchema, startApp, testSettings, uniquePrefix } from './support/fixtures';

describe('DbEngine on embedded SQLite (:memory:)', () => {
  let ctx: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    ctx = await startApp(testSettings({ SELECTED_DB: 'Sqlite', DB_DATABASE: ':memory:', TABLES_PREFIX: 'app' }));
  });
  afterAll(() => ctx?.close());

  it('reports the sqlite driver and prefixes tables with TABLES_PREFIX', async () => {
    expect(ctx.engine.driver).toBe('sqlite');
    const rows = await ctx.engine.orm.em.getConnection().execute("select name from sqlite_master where type = 'table'");
    expect(rows.map((r: { name: string }) => r.name)).toContain('app_item');
  });

  it('CRUD through a controller on a listening app', async () => {
    const created = await fetch(`${ctx.base}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'apple', qty: 3 }) });
    expect(created.status).toBe(201);
    const item = (await created.json()) as Item;
    expect(item).toMatchObject({ name: 'apple', qty: 3 });
    expect(item.id).toBeTypeOf('number');

    const read = await fetch(`${ctx.base}/items/${item.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ id: item.id, name: 'apple', qty: 3 });

    const updated = await fetch(`${ctx.base}/items/${item.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qty: 7 }) });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({ id: item.id, name: 'apple', qty: 7 });

    const list = await fetch(`${ctx.base}/items`);
    expect(await list.json()).toContainEqual({ id: item.id, name: 'apple', qty: 7 });

    const deleted = await fetch(`${ctx.base}/items/${item.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const gone = await fetch(`${ctx.base}/items/${item.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ detail: 'Item not found' });
  });

  it('gives each of 50 concurrent requests its own EntityManager and identity map', async () => {
    await expectOwnEntityManagers(ctx.base, 50);
  });

  it('answers the health check with a real round trip', async () => {
    const result = await ctx.engine.healthCheck();
    expect(result).toMatchObject({ status: 'ok', error: null, meta: { driver: 'sqlite' } });
    // A measured duration: the same figure in meta, in tenths of a millisecond.
    expect(result.meta.latencyMs).toBe(result.latencyMs);
    expect(Math.round(result.latencyMs * 10)).toBeCloseTo(result.latencyMs * 10, 6);
  });

  it('registers itself in the app container under the DbEngine class', () => {
    expect(ctx.app.container.resolve(DbEngine)).toBe(ctx.engine);
  });
});

describe('DbEngine scopes outside HTTP', () => {
  let engine: DbEngine;
  beforeAll(async () => {
    engine = await createDbEngine(testSettings({ SELECTED_DB: 'Sqlite', DB_DATABASE: ':memory:', TABLES_PREFIX: uniquePrefix() }), { entities: [ItemSchema] });
    await engine.updateSchema();
  });
  afterAll(() => engine?.dispose());

  it('throws ERR_M8_DB_NO_SCOPE when engine.em is read outside a scope', () => {
    expect(() => engine.em).toThrow(expect.objectContaining({ code: 'ERR_M8_DB_NO_SCOPE' }));
  });

  it('run() gives one EntityManager for the whole callback, and a new one per run', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map((n) =>
        engine.run(async (em) => {
          em.create(Item, { name: `job-${n}`, qty: n });
          await em.flush();
          await new Promise((r) => setTimeout(r, 5));
          expect(engine.em).toBe(em);
          return em.id;
        }),
      ),
    );
    expect(new Set(ids).size).toBe(3);
    const count = await withRequestScope(engine, (em) => em.count(Item, { name: { $like: 'job-%' } }));
    expect(count).toBe(3);
  });

  it("resolves MikroORM's global orm.em to the scope's EntityManager", async () => {
    await engine.run(async (em) => {
      em.create(Item, { name: 'via-scope', qty: 1 });
      // orm.em is the global EM: without our `context` hook MikroORM refuses it outside RequestContext.
      expect(engine.orm.em.getContext()).toBe(em);
      await engine.orm.em.flush();
    });
    await expect(engine.run((em) => em.count(Item, { name: 'via-scope' }))).resolves.toBe(1);
  });

  it('engine.em joins a transaction opened with em.transactional(), and rolls back with it', async () => {
    const failing = engine.run((em) =>
      em.transactional(async () => {
        engine.em.create(Item, { name: 'in-tx', qty: 1 }); // engine.em, not the tx argument
        throw new Error('abort the transaction');
      }),
    );
    await expect(failing).rejects.toThrow('abort the transaction');
    await expect(engine.run((em) => em.count(Item, { name: 'in-tx' }))).resolves.toBe(0);
    await engine.run((em) =>
      em.transactional(async () => {
        engine.em.create(Item, { name: 'in-tx', qty: 1 });
      }),
    );
    await expect(engine.run((em) => em.count(Item, { name: 'in-tx' }))).resolves.toBe(1);
  });

  it('fork() gives a detached EntityManager usable anywhere', async () => {
    const before = await engine.run((em) => em.count(Item, {}));
    const em = engine.fork();
    em.create(Item, { name: 'forked', qty: 2 });
    await em.flush();
    await expect(engine.run((other) => other.count(Item, {}))).resolves.toBe(before + 1);
    await expect(em.count(Item, { name: 'forked' })).resolves.toBe(1);
  });
});

describe('DbEngine on a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm8-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the file (and its directory) from DB_DATABASE, and keeps data across engines', async () => {
    const file = join(dir, 'nested', 'app.sqlite3');
    const settings = testSettings({ SELECTED_DB: 'Sqlite', DB_DATABASE: file });
    const first = await createDbEngine(settings, { entities: [ItemSchema] });
    await first.updateSchema();
    await first.run(async (em) => {
      em.create(Item, { name: 'persisted', qty: 1 });
      await em.flush();
    });
    await first.dispose();
    const second = await createDbEngine(settings, { entities: [ItemSchema] });
    await expect(second.run((em) => em.count(Item, { name: 'persisted' }))).resolves.toBe(1);
    await second.dispose();
  });

  it('dispose() is idempotent and the engine answers fail afterwards', async () => {
    const engine = await createDbEngine(testSettings({ SELECTED_DB: 'Sqlite', DB_DATABASE: ':memory:' }));
    const first = engine.dispose();
    expect(engine.dispose()).toBe(first);
    await first;
    await engine.dispose();
    expect(await engine.healthCheck()).toMatchObject({ status: 'fail', error: 'database engine disposed' });
    await expect(engine.run(() => 1)).rejects.toMatchObject({ code: 'ERR_M8_DB_DISPOSED' });
  });
});
