/** The database servers of this machine (PostgreSQL and MariaDB on 127.0.0.1), and how each test suite reaches them. */
import { databaseAvailability } from '../../../../test/support/databases';

export interface ServerUnderTest {
  readonly name: 'PostgreSQL' | 'MariaDB';
  readonly selected: 'Postgres' | 'Mysql';
  readonly driver: 'postgresql' | 'mysql';
  readonly port: number;
  /** Settings reaching the `test` database as the admin user. */
  readonly values: Record<string, unknown>;
  readonly start: string;
  /** SQL answering one row `{ id }`: the server-side id of the connection that runs it. */
  readonly connectionIdSql: string;
  /** SQL answering one row `{ n }`: how many server connections have id `?`. */
  readonly connectionCountSql: string;
  /** SQL answering one row `{ who }`: the user the connection logged in as. */
  readonly currentUserSql: string;
  createUser(user: string, password: string): string[];
  dropUser(user: string): string[];
}

export const SERVERS: readonly ServerUnderTest[] = [
  {
    name: 'PostgreSQL',
    selected: 'Postgres',
    driver: 'postgresql',
    port: 5432,
    values: { SELECTED_DB: 'Postgres', DB_HOST: '127.0.0.1', DB_PORT: 5432, DB_USER: 'postgres', DB_DATABASE: 'test' },
    start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    connectionIdSql: 'select pg_backend_pid() as id',
    connectionCountSql: 'select count(*)::int as n from pg_stat_activity where pid = ?',
    currentUserSql: 'select current_user as who',
    createUser: (user, password) => [`create role "${user}" login password '${password}'`],
    dropUser: (user) => [`drop role if exists "${user}"`],
  },
  {
    name: 'MariaDB',
    selected: 'Mysql',
    driver: 'mysql',
    port: 3306,
    values: { SELECTED_DB: 'Mysql', DB_HOST: '127.0.0.1', DB_PORT: 3306, DB_USER: 'root', DB_DATABASE: 'test' },
    start: 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
    connectionIdSql: 'select connection_id() as id',
    connectionCountSql: 'select count(*) as n from information_schema.processlist where id = ?',
    currentUserSql: "select substring_index(current_user(), '@', 1) as who",
    createUser: (user, password) =>
      ['%', 'localhost', '127.0.0.1'].flatMap((host) => [`create user '${user}'@'${host}' identified by '${password}'`, `grant select on test.* to '${user}'@'${host}'`]),
    dropUser: (user) => ['%', 'localhost', '127.0.0.1'].map((host) => `drop user if exists '${user}'@'${host}'`),
  },
];

export interface ServerStatus {
  readonly server: ServerUnderTest;
  /** Log in, create and drop a database all work (test/support/database-probe.ts). */
  readonly up: boolean;
  /** Users can be created and dropped (the login tests need it). */
  readonly users: boolean;
  /** Why a suite is skipped (`null` when it runs), printed in its name. */
  readonly reason: string | null;
  readonly usersReason: string | null;
}

/** Each server with what the run's database probe found; the probe prints every reason once. */
export function probeServers(): ServerStatus[] {
  return SERVERS.map((server) => {
    const found = databaseAvailability(server.selected);
    return { server, up: found.usable, users: found.users, reason: found.problem, usersReason: found.usersProblem };
  });
}

/** The probe result for one server. */
export function serverStatus(name: ServerUnderTest['name']): ServerStatus {
  return probeServers().find((s) => s.server.name === name)!;
}
