/** The server fault suite on a throwaway MariaDB (mariadb-install-db + mariadbd on a temp datadir). */
import { serverFaultSuite } from './server-fault-suite';
import { mariadbSkipReason, ThrowawayMariaDb } from './throwaway-mariadb';

serverFaultSuite('MariaDB', mariadbSkipReason(), () => ThrowawayMariaDb.create());
