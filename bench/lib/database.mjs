// The database of the DB-backed cases: a PostgreSQL database created for this run under a unique
// name on the server at BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres), the
// example's `app_item` table with 20 rows, and DROP DATABASE of exactly that name at the end. Nothing
// else on the (shared) server is touched.
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const ROWS = 20;
const ADMIN_URL = process.env.BENCH_PG_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';

// The table MikroORM creates for examples/items-service/src/models/item.ts on PostgreSQL
// (TABLES_PREFIX=app, the default, names it app_item).
const DDL = `create table "app_item" (
  "id" uuid not null, "title" varchar(200) not null, "description" text null, "owner_id" uuid not null,
  "created_at" timestamptz not null, "updated_at" timestamptz not null,
  constraint "app_item_pkey" primary key ("id"))`;

function urlFor(name) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The rows as every server answers them: newest first, dates as ISO strings. */
function expectedBody(rows) {
  return [...rows]
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((r) => ({ id: r.id, title: r.title, description: r.description, ownerId: r.ownerId, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() }));
}

/**
 * Creates the database and its rows. Resolves with `{ name, url, expected, drop() }`, or rejects
 * with a one-line reason when PostgreSQL cannot be reached (the DB cases are then reported BROKEN).
 */
export async function createBenchDatabase() {
  const name = `m8_bench_${Date.now()}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL not reachable at ${new URL(ADMIN_URL).host}: ${error.message}`);
  }
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  const db = new pg.Client({ connectionString: url });
  const base = Date.UTC(2026, 0, 1);
  const rows = Array.from({ length: ROWS }, (_, i) => ({
    id: randomUUID(),
    title: `item ${String(i + 1).padStart(2, '0')}`,
    description: i % 3 === 0 ? null : `the description of item ${i + 1}, long enough to be a realistic text column`,
    ownerId: randomUUID(),
    createdAt: new Date(base + i * 60_000),
    updatedAt: new Date(base + i * 60_000 + 1000),
  }));
  await db.connect();
  try {
    await db.query(DDL);
    for (const r of rows) {
      await db.query('insert into "app_item" ("id", "title", "description", "owner_id", "created_at", "updated_at") values ($1, $2, $3, $4, $5, $6)', [r.id, r.title, r.description, r.ownerId, r.createdAt, r.updatedAt]);
    }
  } finally {
    await db.end();
  }
  return {
    name,
    url,
    expected: expectedBody(rows),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
      await client.connect();
      try {
        // WITH (FORCE): a server killed mid-run may leave a connection behind (PostgreSQL ≥ 13).
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
