/** The database servers of this machine (PostgreSQL and MariaDB on 127.0.0.1), and how each test suite reaches them. */
import { spawnSync } from 'node:child_process';
import { skipReason } from './fixtures';

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

// Synchronous (a child process answers which ports accept connections) because `describe.skipIf`
// must know at collection time, and CommonJS test files cannot await at the top level.
const PROBE = `
const net = require('node:net');
const ports = JSON.parse(process.argv[1]);
Promise.all(ports.map((port) => new Promise((done) => {
  const socket = net.connect(port, '127.0.0.1');
  const end = (up) => { socket.destroy(); done(up); };
  socket.setTimeout(1000, () => end(false));
  socket.once('connect', () => end(true));
  socket.once('error', () => end(false));
}))).then((up) => process.stdout.write(JSON.stringify(up)));
`;

let probed: Array<{ server: ServerUnderTest; up: boolean }> | undefined;

/** Each server with whether it is up; a down server's suites are skipped with a printed reason. */
export function probeServers(): Array<{ server: ServerUnderTest; up: boolean }> {
  if (probed) return probed;
  const result = spawnSync(process.execPath, ['-e', PROBE, JSON.stringify(SERVERS.map((s) => s.port))], { encoding: 'utf8', timeout: 5_000 });
  const up = (result.status === 0 ? JSON.parse(result.stdout) : []) as boolean[];
  probed = SERVERS.map((server, i) => {
    if (!up[i]) skipReason(server.name, server.port, server.start);
    return { server, up: up[i] === true };
  });
  return probed;
}

/** The probe result for one server. */
export function serverStatus(name: ServerUnderTest['name']): { server: ServerUnderTest; up: boolean } {
  return probeServers().find((s) => s.server.name === name)!;
}
