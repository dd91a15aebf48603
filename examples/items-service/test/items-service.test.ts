/**
 * The example service end to end, on each database it supports, changing only settings:
 * the four protected routes of the contract, real CRUD, health with the database check, metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFactory } from '@m8/testing';
import type { M8App } from '@m8/core';
import { createApp } from '../src/app';
import { Settings } from '../src/core/config';
import { createScratchDatabase, type ScratchDatabase } from '../../../test/support/scratch-database';
import { mariadbUp, postgresUp } from './servers';

const SECRET = 'items-service-test-secret-0123456789abcdef';
const INTERNAL = 'internal-token-for-health-detail';
const prefix = `t${process.pid}`;

const databases = [
  { name: 'SQLite (embedded)', up: true, selected: 'Sqlite' },
  { name: 'PostgreSQL', up: postgresUp, selected: 'Postgres' },
  { name: 'MariaDB', up: mariadbUp, selected: 'Mysql' },
] as const;

for (const db of databases) {
  describe.skipIf(!db.up)(`items-service on ${db.name}`, () => {
    let app: M8App<Settings>;
    let api: string;
    let root: string;
    let scratch: ScratchDatabase; // the suite's own database, dropped afterwards
    const tokens = TokenFactory.hs256(SECRET);
    const as = (role: string, extra: Record<string, unknown> = {}) => ({ Authorization: `Bearer ${tokens.mint({ role, ...extra })}` });
    const json = { 'Content-Type': 'application/json' };

    beforeAll(async () => {
      scratch = await createScratchDatabase(db.selected, 'items');
      const settings = Settings.load({
        values: {
          PROJECT_NAME: 'items test',
          TOKEN_MODE: 'stateless',
          AUTH_SERVICE_ROLE: 'consumer',
          ACCESS_SECRET_KEY: SECRET,
          PRIVATE_API_SECRET: INTERNAL,
          LOG_LEVEL: 'silent',
          METRICS_ENABLED: true,
          TABLES_PREFIX: prefix,
          ...scratch.values,
        },
        env: {},
        envFile: false,
      });
      app = await createApp(settings);
      const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
      root = url;
      api = `${url}/api`;
    });

    afterAll(async () => {
      await app?.close();
      await scratch?.drop();
    });

    it('answers 401 without a token, 200 for any user', async () => {
      const anonymous = await fetch(`${api}/items/`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expect(await anonymous.json()).toEqual({ detail: 'Not authenticated' });
      const user = await fetch(`${api}/items/`, { headers: as('user') });
      expect(user.status).toBe(200);
      expect(await user.json()).toEqual([]);
    });

    it('creates, reads, updates and deletes an item with the right roles', async () => {
      const reader = await fetch(`${api}/items/`, { method: 'POST', headers: { ...json, ...as('reader') }, body: JSON.stringify({ title: 'nope' }) });
      expect(reader.status).toBe(403);
      expect(await reader.json()).toEqual({ detail: "The user doesn't have enough privileges" });

      const writerSub = '11111111-1111-4111-8111-111111111111';
      const created = await fetch(`${api}/items/`, { method: 'POST', headers: { ...json, ...as('writer', { sub: writerSub }) }, body: JSON.stringify({ title: 'first', description: 'hello' }) });
      expect(created.status).toBe(201);
      const item = (await created.json()) as { id: string; title: string; ownerId: string; createdAt: string; updatedAt: string };
      expect(item).toMatchObject({ title: 'first', ownerId: writerSub, description: 'hello' });
      expect(Date.parse(item.createdAt)).not.toBeNaN();

      const read = await fetch(`${api}/items/${item.id}`, { headers: as('user') });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ id: item.id, title: 'first' });

      await new Promise((resolve) => setTimeout(resolve, 1100));
      const updated = await fetch(`${api}/items/${item.id}`, { method: 'PATCH', headers: { ...json, ...as('admin') }, body: JSON.stringify({ title: 'renamed' }) });
      expect(updated.status).toBe(200);
      const after = (await updated.json()) as typeof item;
      expect(after.title).toBe('renamed');
      expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(item.createdAt));

      const list = (await (await fetch(`${api}/items/`, { headers: as('user') })).json()) as unknown[];
      expect(list).toHaveLength(1);

      expect((await fetch(`${api}/items/${item.id}/admin`, { method: 'DELETE', headers: as('writer') })).status).toBe(403);
      expect((await fetch(`${api}/items/${item.id}/admin`, { method: 'DELETE', headers: as('admin') })).status).toBe(204);
      const gone = await fetch(`${api}/items/${item.id}`, { headers: as('user') });
      expect(gone.status).toBe(404);
      expect(await gone.json()).toEqual({ detail: 'Item not found' });
    });

    it('validates input: a bad body and a malformed id are 422, never SQL', async () => {
      const bad = await fetch(`${api}/items/`, { method: 'POST', headers: { ...json, ...as('writer') }, body: JSON.stringify({ title: '' }) });
      expect(bad.status).toBe(422);
      expect((await bad.json()) as unknown).toMatchObject({ detail: [expect.objectContaining({ loc: ['body', 'title'] })] });
      const malformed = await fetch(`${api}/items/not-a-uuid'--`, { headers: as('user') });
      expect(malformed.status).toBe(422);
      expect(await malformed.json()).toEqual({ detail: [{ loc: ['path', 'id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' }] });
    });

    it('lets only a superadmin with is_superuser bootstrap', async () => {
      expect((await fetch(`${api}/admin/bootstrap`, { method: 'POST', headers: as('admin', { is_superuser: true }) })).status).toBe(403);
      expect((await fetch(`${api}/admin/bootstrap`, { method: 'POST', headers: as('superadmin') })).status).toBe(403);
      const ok = await fetch(`${api}/admin/bootstrap`, { method: 'POST', headers: as('superadmin', { is_superuser: true, email: 'Root@Example.com ' }) });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ status: 'bootstrapped', by: 'root@example.com' });
    });

    it('documents its API: every items and admin operation requires a bearer token, with ItemOut responses', async () => {
      const doc = (await (await fetch(`${api}/openapi.json`)).json()) as {
        info: { title: string };
        paths: Record<string, Record<string, { security?: unknown[] }>>;
        components: { schemas: Record<string, unknown> };
      };
      expect(doc.info.title).toBe('items-service');
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.values(ops).map((op) => ({ path, op })));
      expect(operations.length).toBe(6);
      for (const { op } of operations) expect(op.security).toEqual([{ OAuth2PasswordBearer: [] }, { HTTPBearer: [] }]);
      expect(doc.components.schemas).toHaveProperty('ItemOut');
      expect(Object.keys(doc.paths).some((p) => p.includes('health') || p.includes('metrics'))).toBe(false);
      expect((await fetch(`${api}/docs`)).status).toBe(200);
    });

    it('reports the database in health detail and counts requests in metrics', async () => {
      const health = await fetch(`${api}/health/`, { headers: { 'X-Internal-Token': INTERNAL } });
      expect(health.status).toBe(200);
      const body = (await health.json()) as { status: string; checks: { name: string; status: string }[]; service: string; version: string };
      expect(body).toMatchObject({ status: 'ok', service: 'items-service', version: '0.1.0' });
      expect(body.checks).toEqual([expect.objectContaining({ name: 'database', status: 'ok' })]);
      const metrics = await (await fetch(`${root}/metrics`)).text();
      expect(metrics).toMatch(/api_http_requests_total\{method="POST",endpoint="\/api\/items",status_code="201"\} 1/);
    });
  });
}
