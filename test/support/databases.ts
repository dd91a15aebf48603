/** What the run's database probe found (test/setup/databases.ts), for `describe.skipIf` at collection time. */
import { inject } from 'vitest';
import type { DatabaseAvailability, ServerDb } from './database-probe';

export type { DatabaseAvailability } from './database-probe';

export function databaseAvailability(selected: ServerDb): DatabaseAvailability {
  const found = inject('databases').find((db) => db.selected === selected);
  if (found === undefined) throw new Error(`the database probe did not report ${selected}`);
  return found;
}

/** The name of a suite that may be skipped, carrying the reason when it is. */
export function suiteName(title: string, db: DatabaseAvailability, needsUsers = false): string {
  if (!db.usable) return `${title} (SKIPPED: ${db.problem})`;
  if (needsUsers && !db.users) return `${title} (SKIPPED: ${db.usersProblem})`;
  return title;
}
