/** The service's dependencies: authentication and the database engine. */
import { buildAuthDeps, type AuthDeps } from '@m8/auth';
import { createDbEngine, type DbEngine } from '@m8/db';
import { Item } from '../models/item';
import type { Settings } from './config';

export interface Deps {
  readonly auth: AuthDeps;
  readonly db: DbEngine;
}

export async function buildDeps(settings: Settings): Promise<Deps> {
  return {
    auth: buildAuthDeps(settings),
    db: await createDbEngine(settings, { entities: [Item] }),
  };
}
