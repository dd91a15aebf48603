/**
 * The suite's own machinery: the database probe says what is missing and CI refuses to skip, the browser tests
 * skip only with a reason and never where they are required, and no test reads outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { describeAvailability, PROBE_TARGETS, probeDatabase, requireDatabases, type DatabaseAvailability } from './support/database-probe';
import { createScratchDatabase } from './support/scratch-database';
import { planBrowserTests } from './support/browser';
import { freePort } from './support/ports';

const root = join(__dirname, '..');
const postgres = PROBE_TARGETS.find((target) => target.selected === 'Postgres')!;
const report = inject('databases');
const pgReport = report.find((db) => db.selected === 'Postgres')!;

const available = (name: 'PostgreSQL' | 'MariaDB', usable: boolean, users = usable): DatabaseAvailability => ({
  name,
  selected: name === 'PostgreSQL' ? 'Postgres' : 'Mysql',
  usable,
  problem: usable ? null : `nothing listens on 127.0.0.1:${name === 'PostgreSQL' ? 5432 : 3306}; start it with: x`,
  users,
  usersProblem: users ? null : 'cannot create users (CREATE USER: denied)',
  start: 'x',
});

describe('the database probe', () => {
  it('reports every server of the machine to the test files', () => {
    expect(report.map((db) => db.name)).toEqual(['PostgreSQL', 'MariaDB']);
    for (const db of report) expect(db.problem === null).toBe(db.usable);
  });

  it('says nothing listens on a closed port, and how to start the server', async () => {
    const port = await freePort();
    const found = await probeDatabase({ ...postgres, values: { DB_PORT: port } });
    expect(found).toEqual({
      name: 'PostgreSQL',
      selected: 'Postgres',
      usable: false,
      problem: `nothing listens on 127.0.0.1:${port}; start it with: ${postgres.start}`,
      users: false,
      usersProblem: found.problem,
      start: postgres.start,
    });
  });

  it.skipIf(!pgReport.users)(
    `says a role that may log in but not create databases cannot serve the tests${pgReport.users ? '' : ` (SKIPPED: ${pgReport.usersProblem})`}`,
    async () => {
      const role = `m8_nocreate_${randomBytes(4).toString('hex')}`;
      const admin = await createScratchDatabase('Postgres', 'probe_admin');
      try {
        await admin.sql(`create role "${role}" login nocreatedb nocreaterole`);
        const found = await probeDatabase({ ...postgres, values: { DB_USER: role } });
        expect(found.usable).toBe(false);
        expect(found.problem).toMatch(new RegExp(`^cannot log in as ${role} and create a database on 127\\.0\\.0\\.1:5432: .*permission denied`));
      } finally {
        await admin.sql(`drop role if exists "${role}"`);
        await admin.drop();
      }
    },
  );

  it('prints one line per server that cannot serve its tests, and one for missing user rights', () => {
    expect(describeAvailability([available('PostgreSQL', true), available('MariaDB', true)])).toEqual([]);
    expect(describeAvailability([available('PostgreSQL', false), available('MariaDB', true, false)])).toEqual([
      'PostgreSQL: its tests are SKIPPED: nothing listens on 127.0.0.1:5432; start it with: x',
      'MariaDB: the tests that create users are SKIPPED: cannot create users (CREATE USER: denied)',
    ]);
  });

  it('with CI=true a missing server fails the run; without CI it is a skip', () => {
    const down = [available('PostgreSQL', false), available('MariaDB', true, false)];
    expect(requireDatabases(down, { CI: 'true' })).toBe('CI=true and the database tests cannot run: PostgreSQL: nothing listens on 127.0.0.1:5432; start it with: x');
    expect(requireDatabases(down, {})).toBeNull();
    expect(requireDatabases([available('PostgreSQL', true), available('MariaDB', true, false)], { CI: 'true' })).toBeNull();
  });
});

describe('the browser tests plan', () => {
  const absent = (): boolean => false;
  it('runs with Chromium present', () => {
    expect(planBrowserTests({}, (path) => path === '/usr/bin/chromium')).toEqual({ action: 'run', executable: '/usr/bin/chromium' });
    expect(planBrowserTests({ M8_CHROMIUM_PATH: '/opt/c' }, (path) => path === '/opt/c')).toEqual({ action: 'run', executable: '/opt/c' });
  });

  it('skips with the reason printed when Chromium is absent and nothing requires it', () => {
    expect(planBrowserTests({}, absent)).toEqual({
      action: 'skip',
      executable: '/usr/bin/chromium',
      reason: 'no Chromium at /usr/bin/chromium (install it: apt-get install -y chromium, or set M8_CHROMIUM_PATH); set M8_REQUIRE_BROWSER=1 to make this a failure',
    });
  });

  it('fails instead under CI=true or M8_REQUIRE_BROWSER=1', () => {
    expect(planBrowserTests({ CI: 'true' }, absent)).toMatchObject({ action: 'fail', reason: expect.stringMatching(/; CI=true requires the browser tests$/) });
    expect(planBrowserTests({ M8_REQUIRE_BROWSER: '1' }, absent)).toMatchObject({ action: 'fail', reason: expect.stringMatching(/; M8_REQUIRE_BROWSER=1 requires the browser tests$/) });
  });
});

describe('the compiled output the process tests run', () => {
  it('is built from the current sources (the global setup ran tsc -b)', () => {
    // tsc's own judgement: a dry build lists each project it would rebuild (a timestamp-only update is fine).
    const dry = execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', '--dry'], { cwd: root, encoding: 'utf8' });
    expect(dry).toContain('is up to date');
    expect(dry.split('\n').filter((line) => /would build/.test(line))).toEqual([]);
  });
});

describe('the repository stands alone', () => {
  it('no test, helper or config names a path outside the repository', () => {
    const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '--', '*.ts', '*.mts', '*.mjs', '*.cjs', '*.js', '*.json'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((file) => /(^|\/)(test|scripts|bench)\/|^vitest\.config|^stryker/.test(file) && !file.includes('readme-examples'));
    expect(tracked.length).toBeGreaterThan(50);
    const outside = /\.\.\/shared\b|\/work\/shared|M8_VECTORS_FILE/;
    const offenders = tracked.filter((file) => outside.test(readText(join(root, file))) && file !== 'test/test-infrastructure.test.ts');
    expect(offenders).toEqual([]);
  });
});

function readText(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}
