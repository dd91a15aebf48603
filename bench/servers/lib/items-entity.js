// The example's `Item` entity (examples/items-service/src/models/item.ts) as a MikroORM EntitySchema
// for the database peers: same table, same columns, same types, no m8 code.
'use strict';
const { EntitySchema } = require('@mikro-orm/core');

const Item = new EntitySchema({
  name: 'Item',
  tableName: 'app_item', // TABLES_PREFIX=app (the default) + item
  properties: {
    id: { type: 'uuid', primary: true },
    title: { type: 'string', length: 200 },
    description: { type: 'text', nullable: true },
    ownerId: { type: 'uuid' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
  },
});

/** The example's pool (packages/db/src/orm-options.ts: server databases min 0, max 10). */
const POOL = { min: 0, max: 10, idleTimeoutMillis: 30_000, acquireTimeoutMillis: 10_000 };
/** The example's `ITEMS_PAGE_SIZE` default: the page `GET /api/items/` returns at most. */
const PAGE_SIZE = 50;

function ormOptions(PostgreSqlDriver) {
  const clientUrl = process.env.DATABASE_URL;
  if (!clientUrl) throw new Error('DATABASE_URL is required');
  return { driver: PostgreSqlDriver, clientUrl, entities: [Item], pool: POOL, allowGlobalContext: false, ensureDatabase: false, debug: false };
}

module.exports = { Item, POOL, PAGE_SIZE, ormOptions };
