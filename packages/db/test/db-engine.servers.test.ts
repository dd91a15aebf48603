/**
 * The engine against the real PostgreSQL and MariaDB servers of this machine. A server that is
 * down skips its suite with a printed reason (and a suite name that says so).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbEngine, type DbEngine } from '@m8/db';
import { expectOwnEntityManagers, Item, startApp, testSettings, uniquePrefix } from './support/fixtures';
import { probeServers } from './support/servers';
import { createScratchDatabase, type ScratchDatabase } from '../../../test/support/scratch-database';
import { freePort } from '../../../test/support/ports';

const servers = probeServers();

async function one<T>(engine: DbEngine, sql: string, params: unknown[] = []): Promise<T> {
  const rows = (await engine.orm.em.getConnection().execute(sql, params)) as T[];
  return rows[0] as T;
}

for (const { server, up, users, reason, usersReason } of servers) {
  describe.skipIf(!up)(`DbEngine on ${server.name}${up ? '' : ` (SKIPPED: ${reason})`}`, () => {
    const prefix = uniquePrefix();
    let ctx: Awaited<ReturnType<typeof startApp>>;
    let admin: DbEngine;
    let scratch: ScratchDatabase;
    // The suite's own database: the server is shared, nothing else on it is touched.
    let values: Record<string, unknown>;

    beforeAll(async () => {
      scratch = await createScratchDatabase(server.selected, 'engine');
      values = { ...scratch.values };
      admin = await createDbEngine(testSettings(values));
      ctx = await startApp(testSettings({ ...values, TABLES_PREFIX: prefix }));
    });
    afterAll(async () => {
      await ctx?.close();
      await admin?.dispose();
      await scratch?.drop();
    });

    it(`uses the ${server.driver} driver and a ${prefix}_item table`, async () => {
      expect(ctx.engine.driver).toBe(server.driver);
      const found = await one<{ n: number | string }>(admin, 'select count(*) as n from information_schema.tables where table_name = ?', [`${prefix}_item`]);
      expect(Number(found.n)).toBe(1);
    });

    it('CRUD through a controller on a listening app', async () => {
      const json = { 'content-type': 'application/json' };
      const created = await fetch(`${ctx.base}/items`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'pear', qty: 2 }) });
      expect(created.status).toBe(201);
      const item = (await created.json()) as Item;
      expect(item).toMatchObject({ name: 'pear', qty: 2 });

      expect(await (await fetch(`${ctx.base}/items/${item.id}`)).json()).toEqual({ id: item.id, name: 'pear', qty: 2 });
      const updated = await fetch(`${ctx.base}/items/${item.id}`, { method: 'PUT', headers: json, body: JSON.stringify({ name: 'ripe pear' }) });
      expect(await updated.json()).toEqual({ id: item.id, name: 'ripe pear', qty: 2 });
      expect(await (await fetch(`${ctx.base}/items`)).json()).toContainEqual({ id: item.id, name: 'ripe pear', qty: 2 });
      // Read back through the database, not the app: the row really changed.
      const row = await one<{ name: string }>(admin, `select name from ${prefix}_item where id = ?`, [item.id]);
      expect(row.name).toBe('ripe pear');

      expect((await fetch(`${ctx.base}/items/${item.id}`, { method: 'DELETE' })).status).toBe(200);
      const gone = await fetch(`${ctx.base}/items/${item.id}`);
      expect(gone.status).toBe(404);
      expect(await gone.json()).toEqual({ detail: 'Item not found' });
    });

    it('gives each of 50 concurrent requests its own EntityManager and identity map', async () => {
      await expectOwnEntityManagers(ctx.base, 50);
    });

    it('health check: ok with a real round trip', async () => {
      const result = await ctx.engine.healthCheck();
      expect(result).toMatchObject({ status: 'ok', error: null, meta: { driver: server.driver } });
      expect(result.latencyMs).toBeGreaterThan(0);
    });

    it('health check: fail with credentials scrubbed when the port is closed', async () => {
      const password = `pw-${randomBytes(6).toString('hex')}`;
      const port = await freePort();
      const engine = await createDbEngine(testSettings({ ...values, DB_PORT: port, DB_PASSWORD: password }));
      try {
        const result = await engine.healthCheck();
        expect(result.status).toBe('fail');
        expect(result.error).toMatch(/ECONNREFUSED/);
        expect(result.error).not.toContain(password);
        expect(result.meta.driver).toBe(server.driver);
      } finally {
        await engine.dispose();
      }
    });

    it('dispose() at shutdown releases the pool: the server sees the connection go', async () => {
      const engine = await createDbEngine(testSettings(values));
      const { id } = await one<{ id: number }>(engine, server.connectionIdSql);
      // The idle connection is still pooled (and visible to the server) before dispose...
      expect(Number((await one<{ n: number }>(admin, server.connectionCountSql, [id])).n)).toBe(1);
      await engine.dispose();
      await engine.dispose(); // idempotent
      // ...and gone after it (the server notices a closed socket asynchronously: poll briefly).
      let remaining = 1;
      for (let i = 0; i < 40 && remaining > 0; i++) {
        remaining = Number((await one<{ n: number }>(admin, server.connectionCountSql, [id])).n);
        if (remaining > 0) await new Promise((r) => setTimeout(r, 50));
      }
      expect(remaining).toBe(0);
      expect(await engine.healthCheck()).toMatchObject({ status: 'fail', error: 'database engine disposed' });
    });

    it('app.close() disposes the engine listed in the plugins', async () => {
      const app = await startApp(testSettings({ ...values, TABLES_PREFIX: uniquePrefix() }), { entities: [] });
      expect((await app.engine.healthCheck()).status).toBe('ok');
      await app.close();
      expect(await app.engine.healthCheck()).toMatchObject({ status: 'fail', error: 'database engine disposed' });
    });

    it.skipIf(!users)(`escapes a password with @ : / % + in the derived URL, and logs in with it${users ? '' : ` (SKIPPED: ${usersReason})`}`, async () => {
      const user = `m8esc_${randomBytes(4).toString('hex')}`;
      const password = `p@ss:w/rd%2F+${randomBytes(3).toString('hex')}`;
      for (const sql of server.createUser(user, password)) await admin.orm.em.getConnection().execute(sql);
      const settings = testSettings({ ...server.values, DB_USER: user, DB_PASSWORD: password });
      expect(settings.databaseUrl).not.toContain(password);
      const engine = await createDbEngine(settings);
      try {
        expect(await one<{ who: string }>(engine, server.currentUserSql)).toEqual({ who: user });
        // What the driver was handed is the password itself, not its escaped form.
        const handed = (engine.orm.em.getDriver().getConnection() as unknown as { getConnectionOptions(): { password?: string } }).getConnectionOptions();
        expect(handed.password).toBe(password);
      } finally {
        await engine.dispose();
        for (const sql of server.dropUser(user)) await admin.orm.em.getConnection().execute(sql);
      }
    });
  });
}

// MariaDB checks passwords (PostgreSQL here trusts local connections): a wrong one must fail, with
// neither password in the health error.
const maria = servers.find((s) => s.server.name === 'MariaDB');
const mariaSkip = !maria?.up ? maria?.reason : !maria.users ? maria.usersReason : null;
describe.skipIf(mariaSkip !== null)(`DbEngine on MariaDB: a wrong password${mariaSkip === null ? '' : ` (SKIPPED: ${mariaSkip})`}`, () => {
  it('fails the health check with "Access denied" and no password in the error', async () => {
    const server = maria!.server;
    const admin = await createDbEngine(testSettings(server.values));
    const user = `m8bad_${randomBytes(4).toString('hex')}`;
    const right = `right@:/%+${randomBytes(3).toString('hex')}`;
    const wrong = `wrong@:/%+${randomBytes(3).toString('hex')}`;
    for (const sql of server.createUser(user, right)) await admin.orm.em.getConnection().execute(sql);
    const engine = await createDbEngine(testSettings({ ...server.values, DB_USER: user, DB_PASSWORD: wrong }));
    try {
      const result = await engine.healthCheck();
      expect(result.status).toBe('fail');
      expect(result.error).toMatch(/Access denied/);
      expect(result.error).not.toContain(wrong);
      expect(result.error).not.toContain(encodeURIComponent(wrong));
    } finally {
      await engine.dispose();
      for (const sql of server.dropUser(user)) await admin.orm.em.getConnection().execute(sql);
      await admin.dispose();
    }
  });
});
