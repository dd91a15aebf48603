/**
 * The MikroORM CLI's configuration (migrations): the same settings, entities and table prefix as
 * the service. `npm run migration:create` writes TypeScript migrations into src/migrations/<kind>,
 * the build compiles them to dist/migrations/<kind>, and `npm run migration:up` applies those.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { ormConfig } from '@m8/db';
import { loadSettings } from './core/config';
import { ENTITIES } from './core/deps';

const settings = loadSettings();
// Migrations are SQL of one database kind: one folder per SELECTED_DB (postgres, mysql, sqlite).
const kind = settings.SELECTED_DB.toLowerCase();

export default ormConfig(settings, {
  entities: ENTITIES,
  extensions: [Migrator],
  baseDir: resolve(__dirname, '..'),
  preferTs: false,
  migrations: {
    path: `dist/migrations/${kind}`,
    pathTs: `src/migrations/${kind}`,
    emit: 'ts',
    // Compared with the live database: no snapshot file to keep in step.
    snapshot: false,
    // A generated migration never drops a table: the database may hold tables of other services.
    dropTables: false,
  },
});
