/**
 * Which database servers of this machine can serve the tests (the run's database probe, test/setup/databases.ts,
 * which prints the reason for each one that cannot); suites on an absent one are skipped and say so in their name.
 */
import { databaseAvailability } from '../../../test/support/databases';

const postgres = databaseAvailability('Postgres');
const mariadb = databaseAvailability('Mysql');

export const postgresUp = postgres.usable;
export const mariadbUp = mariadb.usable;
/** Why each server's suites are skipped (`null` when they run). */
export const skipReasons = { Postgres: postgres.problem, Mysql: mariadb.problem } as const;
