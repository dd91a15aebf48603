/** The service's dependencies: authentication and the database engine. */
import { buildAuthDeps, type AuthDeps } from '@m8/auth';
import { createDbEngine, type DbEngine } from '@m8/db';
import { Item } from '../models/item';
import { loadSettings, type Settings } from './config';

export interface Deps {
  readonly auth: AuthDeps;
  readonly db: DbEngine;
}

/** Every entity of the service, for the engine and the migrations configuration. */
export const ENTITIES = [Item];

export async function buildDeps(settings: Settings): Promise<Deps> {
  return {
    auth: buildAuthDeps(settings),
    db: await createDbEngine(settings, { entities: ENTITIES }),
  };
}

/**
 * The database engine from the service's own settings (environment, then `ENV_FILE` or the
 * committed `local.env`), for `npx m8-prestart --module dist/core/deps.js --export databaseEngine`.
 */
export function databaseEngine(): Promise<DbEngine> {
  return createDbEngine(loadSettings(), { entities: ENTITIES });
}
