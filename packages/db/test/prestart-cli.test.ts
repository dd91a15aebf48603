/**
 * The built `m8-prestart` bin as a child process (what a container's entrypoint runs). The run's global
 * setup builds it first (test/setup/build.ts), so the test never runs a stale dist/.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverStatus } from './support/servers';
import { childCoverageEnv } from '../../../test/support/child-coverage';
import { freePort } from '../../../test/support/ports';

const ROOT = resolve(__dirname, '../../..');
const CLI = join(ROOT, 'packages/db/dist/prestart-cli.js');
const BASE_ENV = { PATH: process.env.PATH ?? '', PROJECT_NAME: 'prestart cli', TOKEN_MODE: 'stateless', ACCESS_SECRET_KEY: 'k'.repeat(32) };
const pg = serverStatus('PostgreSQL');
const cwd = mkdtempSync(join(tmpdir(), 'm8-prestart-cli-')); // no .env here

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd, env: { ...BASE_ENV, ...childCoverageEnv(), ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe.concurrent('m8-prestart (built bin, child process)', () => {
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it.skipIf(!pg.up)('exits 0 once PostgreSQL answers SELECT 1', async () => {
    const result = await cli([], { SELECTED_DB: 'Postgres', DB_HOST: '127.0.0.1', DB_USER: 'postgres', DB_DATABASE: 'test' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^m8-prestart: database ready \(SELECTED_DB=Postgres, attempt 1, [\d.]+ ms\)\n$/);
  });

  it('exits 1 with a clear message when a closed port never answers', async () => {
    const port = String(await freePort());
    const result = await cli(['--retries', '3', '--interval', '0.05'], { SELECTED_DB: 'Mysql', DB_HOST: '127.0.0.1', DB_PORT: port, DB_USER: 'root', DB_DATABASE: 'test' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('database not ready (attempt 1/3)');
    expect(result.stderr).toContain(`giving up. The database did not answer after 3 attempts: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('exits 0 cleanly when no database is configured', async () => {
    const result = await cli([], {});
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('no database configured');
  });

  it('exits 2 on invalid settings, naming the problem', async () => {
    const result = await cli([], { SELECTED_DB: 'Oracle' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SELECTED_DB');
  });
});
