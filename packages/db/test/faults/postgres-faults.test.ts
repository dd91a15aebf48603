/** The server fault suite on a throwaway PostgreSQL cluster (initdb + pg_ctl as the postgres user). */
import { serverFaultSuite } from './server-fault-suite';
import { postgresSkipReason, ThrowawayPostgres } from './throwaway-postgres';

serverFaultSuite('PostgreSQL', postgresSkipReason(), () => ThrowawayPostgres.create());
