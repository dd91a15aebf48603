/**
 * Whether the database servers of this machine can serve the tests, checked the way the tests use them: connect,
 * log in as the admin user, create a database and drop it; separately, whether users can be created (only the
 * tests about logins need that). Run once per test run by test/setup/databases.ts; each missing step is reported
 * with what to do about it.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createScratchDatabase, SERVER_VALUES, type ScratchDatabase } from './scratch-database';

export type ServerDb = keyof typeof SERVER_VALUES;

export interface DatabaseAvailability {
  readonly name: 'PostgreSQL' | 'MariaDB';
  readonly selected: ServerDb;
  /** Log in, create a database and drop it all work: the database tests can run. */
  readonly usable: boolean;
  /** Why not (`null` when usable). */
  readonly problem: string | null;
  /** `CREATE USER` and `DROP USER` work (tests of logins and passwords need them). */
  readonly users: boolean;
  readonly usersProblem: string | null;
  /** How to start the server on this machine. */
  readonly start: string;
}

export interface ProbeTarget {
  readonly name: DatabaseAvailability['name'];
  readonly selected: ServerDb;
  readonly start: string;
  readonly createUser: (user: string) => string[];
  readonly dropUser: (user: string) => string[];
  /** Overrides of the admin connection values (tests probe a closed port or a weaker role). */
  readonly values?: Readonly<Record<string, unknown>>;
}

const MARIADB_HOSTS = ['%', 'localhost', '127.0.0.1'];

export const PROBE_TARGETS: readonly ProbeTarget[] = [
  {
    name: 'PostgreSQL',
    selected: 'Postgres',
    start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    createUser: (user) => [`create role "${user}" login password 'probe'`],
    dropUser: (user) => [`drop role if exists "${user}"`],
  },
  {
    name: 'MariaDB',
    selected: 'Mysql',
    start: 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd',
    createUser: (user) => MARIADB_HOSTS.map((host) => `create user '${user}'@'${host}' identified by 'probe'`),
    dropUser: (user) => MARIADB_HOSTS.map((host) => `drop user if exists '${user}'@'${host}'`),
  },
];

function listens(port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (up: boolean): void => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);

/** Probes one server; never throws. */
export async function probeDatabase(target: ProbeTarget): Promise<DatabaseAvailability> {
  const values = { ...SERVER_VALUES[target.selected], ...target.values };
  const port = Number(values.DB_PORT);
  const base = { name: target.name, selected: target.selected, start: target.start };
  const unusable = (problem: string): DatabaseAvailability => ({ ...base, usable: false, problem, users: false, usersProblem: problem });
  if (!(await listens(port))) return unusable(`nothing listens on 127.0.0.1:${port}; start it with: ${target.start}`);

  let scratch: ScratchDatabase;
  try {
    scratch = await createScratchDatabase(target.selected, 'probe', target.values);
  } catch (error) {
    return unusable(`cannot log in as ${String(values.DB_USER)} and create a database on 127.0.0.1:${port}: ${firstLine(error)}`);
  }
  let users = true;
  let usersProblem: string | null = null;
  const user = `m8probe_${randomBytes(4).toString('hex')}`;
  try {
    for (const sql of target.createUser(user)) await scratch.sql(sql);
  } catch (error) {
    users = false;
    usersProblem = `cannot create users (CREATE USER: ${firstLine(error)})`;
  }
  try {
    for (const sql of target.dropUser(user)) await scratch.sql(sql);
  } catch (error) {
    if (users) {
      users = false;
      usersProblem = `cannot drop users (DROP USER: ${firstLine(error)})`;
    }
  }
  try {
    await scratch.drop();
  } catch (error) {
    return { ...unusable(`cannot drop a database on 127.0.0.1:${port}: ${firstLine(error)}`), users, usersProblem };
  }
  return { ...base, usable: true, problem: null, users, usersProblem };
}

export function probeDatabases(targets: readonly ProbeTarget[] = PROBE_TARGETS): Promise<DatabaseAvailability[]> {
  return Promise.all(targets.map(probeDatabase));
}

/** The lines printed before the tests run: what is skipped and why. */
export function describeAvailability(report: readonly DatabaseAvailability[]): string[] {
  return report.flatMap((db) => {
    if (!db.usable) return [`${db.name}: its tests are SKIPPED: ${db.problem}`];
    if (!db.users) return [`${db.name}: the tests that create users are SKIPPED: ${db.usersProblem}`];
    return [];
  });
}

/** With CI=true a database that cannot serve the tests fails the run instead of skipping them. */
export function requireDatabases(report: readonly DatabaseAvailability[], env: NodeJS.ProcessEnv): string | null {
  if (env.CI !== 'true') return null;
  const missing = report.filter((db) => !db.usable);
  if (missing.length === 0) return null;
  return `CI=true and the database tests cannot run: ${missing.map((db) => `${db.name}: ${db.problem}`).join('; ')}`;
}
