/** Shared test fixtures: an entity, a controller over it, settings and a listening app. */
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { Body, Delete, Get, HttpCode, JsonController, Param, Post, Put } from 'routing-controllers';
import { inject, injectable } from 'tsyringe';
import { bootstrap, ConsumerServiceSettings, HttpProblem } from '@m8/core';
import { DbEngine, createDbEngine, type CreateDbEngineOptions } from '@m8/db';

export class Item {
  id!: number;
  name!: string;
  qty = 0;
}

export const ItemSchema = new EntitySchema<Item>({
  class: Item,
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    name: { type: 'string', length: 100 },
    qty: { type: 'integer', default: 0 },
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** CRUD over Item, through the request-scoped EntityManager of the injected engine. */
@JsonController('/items')
@injectable()
export class ItemController {
  constructor(@inject(DbEngine) private readonly db: DbEngine) {}

  @Get('/')
  list() {
    return this.db.em.find(Item, {}, { orderBy: { id: 'asc' } });
  }

  @Get('/:id')
  async one(@Param('id') id: number) {
    const item = await this.db.em.findOne(Item, { id });
    if (!item) throw new HttpProblem(404, 'Item not found');
    return item;
  }

  @Post('/')
  @HttpCode(201)
  async create(@Body() body: { name: string; qty?: number }) {
    const item = this.db.em.create(Item, { name: body.name, qty: body.qty ?? 0 });
    await this.db.em.flush();
    return item;
  }

  @Put('/:id')
  async update(@Param('id') id: number, @Body() body: { name?: string; qty?: number }) {
    const item = await this.db.em.findOne(Item, { id });
    if (!item) throw new HttpProblem(404, 'Item not found');
    this.db.em.assign(item, body);
    await this.db.em.flush();
    return item;
  }

  @Delete('/:id')
  async remove(@Param('id') id: number) {
    const item = await this.db.em.findOne(Item, { id });
    if (!item) throw new HttpProblem(404, 'Item not found');
    await this.db.em.remove(item).flush();
    return { deleted: id };
  }

  /**
   * Which EntityManager this request sees: persists one item, yields to the other requests, then
   * reports the EM id before and after and what its identity map holds.
   */
  @Post('/probe/:n')
  async probe(@Param('n') n: number) {
    const em = this.db.em;
    const before = em.id;
    em.create(Item, { name: `probe-${n}`, qty: n });
    await sleep(5 + (n % 7) * 3);
    await em.flush();
    const again = this.db.em;
    const names = (again.getUnitOfWork().getIdentityMap().values() as Item[]).map((i) => i.name);
    return { before, after: again.id, names };
  }
}

/** A unique, short table prefix per run so parallel runs never collide. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

/** Settings for tests: only the database fields vary. */
export function testSettings(values: Record<string, unknown>): ConsumerServiceSettings {
  return ConsumerServiceSettings.load({
    values: { PROJECT_NAME: 'db tests', TOKEN_MODE: 'stateless', ACCESS_SECRET_KEY: 'k'.repeat(32), ...values },
    env: {},
    envFile: false,
  });
}

/** Engine + a listening app with the Item controller; `close()` stops both. */
export async function startApp(settings: ConsumerServiceSettings, options: CreateDbEngineOptions = {}) {
  const engine = await createDbEngine(settings, { entities: [ItemSchema], ...options });
  await engine.updateSchema();
  const app = await bootstrap(settings, {
    controllers: [ItemController],
    plugins: [engine],
    logger: { destination: { write: () => true } },
  });
  const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  const base = `${url}${settings.apiPrefix}`;
  return { engine, app, base, close: () => app.close() };
}

/**
 * `count` concurrent requests to the probe route: each must see only its own entity in its
 * identity map, and each its own EntityManager.
 */
export async function expectOwnEntityManagers(base: string, count: number): Promise<void> {
  const answers = await Promise.all(
    Array.from({ length: count }, async (_, n) => {
      const res = await fetch(`${base}/items/probe/${n}`, { method: 'POST' });
      expect(res.status).toBe(200);
      return { n, ...((await res.json()) as { before: number; after: number; names: string[] }) };
    }),
  );
  for (const a of answers) {
    expect(a.after).toBe(a.before);
    expect(a.names).toEqual([`probe-${a.n}`]);
  }
  expect(new Set(answers.map((a) => a.before)).size).toBe(count);
}
