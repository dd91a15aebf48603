/** `runPrestart` in-process: flags, env, sources (settings, --module) and exit codes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPrestart } from '@m8/db';
import { parseFlags } from '../src/prestart';
import { serverStatus } from './support/servers';
import { freePort } from '../../../test/support/ports';

const pg = serverStatus('PostgreSQL');
const BASE_ENV = { PROJECT_NAME: 'prestart test', TOKEN_MODE: 'stateless', ACCESS_SECRET_KEY: 'k'.repeat(32) };
const dir = mkdtempSync(join(tmpdir(), 'm8-prestart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPrestart(argv, { env: { ...BASE_ENV, ...env }, cwd: dir, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('runPrestart', () => {
  it('exits 0 with "no database configured" when neither DATABASE_URL nor DB_HOST is set', async () => {
    const result = await run([], {});
    expect(result.code).toBe(0);
    expect(result.out).toContain('no database configured');
  });

  it('exits 0 once embedded SQLite answers', async () => {
    const result = await run([], { SELECTED_DB: 'Sqlite', DB_DATABASE: ':memory:' });
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/database ready \(SELECTED_DB=Sqlite, attempt 1, /);
  });

  it.skipIf(!pg.up)('exits 0 once PostgreSQL answers', async () => {
    const result = await run(['--retries', '3', '--interval', '0.01'], { SELECTED_DB: 'Postgres', DB_HOST: '127.0.0.1', DB_USER: 'postgres', DB_DATABASE: 'test' });
    expect(result.code).toBe(0);
    expect(result.out).toContain('database ready (SELECTED_DB=Postgres, attempt 1');
  });

  it('exits 1 after the retries against a closed port, saying why, password scrubbed', async () => {
    const port = String(await freePort());
    const result = await run(['--retries', '3', '--interval', '0.01'], {
      DATABASE_URL: `postgresql://postgres:hunter2-secret@127.0.0.1:${port}/test`,
      SELECTED_DB: 'Postgres',
    });
    expect(result.code).toBe(1);
    expect(result.err.match(/database not ready \(attempt \d\/3\)/g)).toHaveLength(2);
    expect(result.err).toMatch(/giving up\. The database did not answer after 3 attempts: .*ECONNREFUSED/);
    expect(result.err + result.out).not.toContain('hunter2-secret');
  });

  it('reads the retry settings from the environment when no flag is given', async () => {
    const port = String(await freePort());
    const result = await run([], {
      M8_PRESTART_RETRIES: '2',
      M8_PRESTART_INTERVAL_SECONDS: '0.01',
      SELECTED_DB: 'Mysql',
      DB_HOST: '127.0.0.1',
      DB_PORT: port,
      DB_USER: 'root',
      DB_DATABASE: 'test',
    });
    expect(result.code).toBe(1);
    expect(result.err).toContain('after 2 attempts');
  });

  it('exits 2 listing every missing DB_* setting of a half-configured database', async () => {
    const result = await run([], { SELECTED_DB: 'Postgres', DB_HOST: 'db' });
    expect(result.code).toBe(2);
    expect(result.err).toContain('DB_DATABASE');
    expect(result.err).toContain('DB_USER');
  });

  it('exits 2 with the usage on a bad flag or value', async () => {
    expect((await run(['--retries', 'many'], {})).code).toBe(2);
    const unknown = await run(['--bogus'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Usage: m8-prestart');
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await run(['--help'], {});
    expect(result.code).toBe(0);
    expect(result.out).toContain('--retries N');
  });

  it('--module: uses a settings object exported by the named module', async () => {
    const file = join(dir, 'deps-settings.js');
    writeFileSync(file, "exports.settings = { SELECTED_DB: 'Sqlite', TABLES_PREFIX: 'app', databaseUrl: 'sqlite::memory:' };\n");
    const result = await run(['--module', './deps-settings.js'], {});
    expect(result.code).toBe(0);
    expect(result.out).toContain('database ready (SELECTED_DB=Sqlite');
  });

  it('--module --export: calls an engine factory and disposes what it returned', async () => {
    const file = join(dir, 'deps-factory.js');
    writeFileSync(
      file,
      [
        'exports.disposed = 0;',
        'exports.makeDb = async () => ({',
        "  healthCheck: async () => ({ status: 'ok', ok: true, latencyMs: 2, error: null, meta: { driver: 'fake' } }),",
        '  dispose: async () => { exports.disposed++; },',
        '});',
      ].join('\n'),
    );
    const result = await run(['--module', file, '--export', 'makeDb'], {});
    expect(result.code).toBe(0);
    expect(result.out).toContain('deps-factory.js#makeDb');
    expect((require(file) as { disposed: number }).disposed).toBe(1);
  });

  it('--module: calls a deps factory with settings from env (buildDeps(settings) → { db })', async () => {
    const file = join(dir, 'deps-build.js');
    writeFileSync(
      file,
      [
        'exports.seen = [];',
        'exports.buildDeps = async (settings) => {',
        '  exports.seen.push(settings.SELECTED_DB);',
        "  return { auth: {}, db: { healthCheck: async () => ({ status: 'ok', ok: true, latencyMs: 1, error: null, meta: { driver: 'fake' } }) } };",
        '};',
      ].join('\n'),
    );
    const result = await run(['--module', file, '--export', 'buildDeps'], { SELECTED_DB: 'Postgres' });
    expect(result.code).toBe(0);
    expect(result.out).toContain('deps-build.js#buildDeps.db');
    expect((require(file) as { seen: string[] }).seen).toEqual(['Postgres']);
  });

  it('--module: exits 2 when the module cannot be loaded or exports nothing usable', async () => {
    expect((await run(['--module', './missing.js'], {})).err).toContain('cannot load --module ./missing.js');
    writeFileSync(join(dir, 'deps-empty.js'), 'exports.other = 42;\n');
    const result = await run(['--module', './deps-empty.js', '--export', 'other'], {});
    expect(result.code).toBe(2);
    expect(result.err).toContain('neither a database engine');
  });

  it('--env-file: reads the database settings from the named file', async () => {
    writeFileSync(join(dir, 'db.env'), 'SELECTED_DB=Sqlite\nDB_DATABASE=:memory:\n');
    const result = await run(['--env-file', 'db.env'], {});
    expect(result.code).toBe(0);
    expect(result.out).toContain('database ready (SELECTED_DB=Sqlite');
  });
});

describe('parseFlags', () => {
  it('defaults to 300 attempts × 5 s, 5 s per attempt', () => {
    expect(parseFlags([], {})).toEqual({ retries: 300, intervalMs: 5000, attemptTimeoutMs: 5000 });
  });

  it('flags beat environment variables', () => {
    expect(parseFlags(['--retries', '4'], { M8_PRESTART_RETRIES: '9', M8_PRESTART_INTERVAL_SECONDS: '0.5', M8_PRESTART_MODULE: './m.js' })).toEqual({
      retries: 4,
      intervalMs: 500,
      attemptTimeoutMs: 5000,
      modulePath: './m.js',
    });
  });

  it('reports every bad value at once with ERR_M8_PRESTART_CONFIG', () => {
    let error: unknown;
    try {
      parseFlags(['--retries', '0', '--interval=-1'], {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'ERR_M8_PRESTART_CONFIG' });
    expect((error as Error).message).toMatch(/--retries .*; --interval/);
  });
});
