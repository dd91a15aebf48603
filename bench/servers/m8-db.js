// The example service itself (examples/items-service, BUILT): `createApp(settings)` with its
// `GET /api/items/` (authenticated, 20 rows from PostgreSQL through MikroORM with the request-scoped
// EntityManager of @m8/db). Settings from env only (ENV_FILE=/dev/null): SELECTED_DB=Postgres,
// DATABASE_URL, ENVIRONMENT=development (no schema update at start: the harness made the table),
// SET_DOCS=false (API docs off, as in production; lib/cases.mjs).
'use strict';
require('reflect-metadata');
const { createApp } = require('../../examples/items-service/dist/app.js');
const { loadSettings } = require('../../examples/items-service/dist/core/config.js');

async function main() {
  const settings = loadSettings();
  const app = await createApp(settings);
  await app.listen({ port: settings.PORT, host: '127.0.0.1' });
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
