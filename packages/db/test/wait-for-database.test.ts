import { describe, expect, it } from 'vitest';
import { createDbEngine, DbUnavailableError, waitForDatabase, type DbHealthResult } from '@m8/db';
import { testSettings } from './support/fixtures';
import { serverStatus } from './support/servers';
import { freePort } from '../../../test/support/ports';

const pg = serverStatus('PostgreSQL');

/** A check that fails `failures` times, then answers ok: the retry logic, without a database. */
function flaky(failures: number) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async healthCheck(): Promise<DbHealthResult> {
      calls++;
      const ok = calls > failures;
      return { status: ok ? 'ok' : 'fail', ok, latencyMs: 1, error: ok ? null : `refused #${calls}`, meta: { driver: 'test', latencyMs: 1 } };
    },
  };
}

describe('waitForDatabase', () => {
  it('retries until the check answers ok, reporting each failed attempt', async () => {
    const check = flaky(2);
    const retries: string[] = [];
    const result = await waitForDatabase(check, { retries: 5, intervalMs: 1, onRetry: (info) => retries.push(`${info.attempt}/${info.retries}: ${info.error}`) });
    expect(result).toEqual({ attempts: 3, latencyMs: 1 });
    expect(retries).toEqual(['1/5: refused #1', '2/5: refused #2']);
  });

  it('gives up after `retries` attempts with ERR_M8_DB_UNAVAILABLE and the last error', async () => {
    const check = flaky(10);
    const error = await waitForDatabase(check, { retries: 3, intervalMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DbUnavailableError);
    expect(error).toMatchObject({ code: 'ERR_M8_DB_UNAVAILABLE', attempts: 3, lastError: 'refused #3' });
    expect(check.calls).toBe(3);
  });

  it('waits intervalMs between attempts', async () => {
    const started = performance.now();
    await waitForDatabase(flaky(2), { retries: 3, intervalMs: 60 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('rejects nonsense options', async () => {
    await expect(waitForDatabase(flaky(0), { retries: 0 })).rejects.toMatchObject({ code: 'ERR_M8_DB_OPTIONS', message: expect.stringContaining('retries') });
    await expect(waitForDatabase(flaky(0), { intervalMs: -1 })).rejects.toMatchObject({ code: 'ERR_M8_DB_OPTIONS', message: expect.stringContaining('intervalMs') });
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const waiting = waitForDatabase(flaky(100), { retries: 100, intervalMs: 1_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(waiting).rejects.toThrow('stop');
  });

  it('times out against a closed port on a real driver, error scrubbed', async () => {
    const password = 'never-show-me-123';
    const engine = await createDbEngine(testSettings({ SELECTED_DB: 'Postgres', DB_HOST: '127.0.0.1', DB_PORT: await freePort(), DB_USER: 'postgres', DB_PASSWORD: password, DB_DATABASE: 'test' }));
    try {
      const error = (await waitForDatabase(engine, { retries: 2, intervalMs: 10 }).catch((e: unknown) => e)) as DbUnavailableError;
      expect(error.code).toBe('ERR_M8_DB_UNAVAILABLE');
      expect(error.message).toMatch(/after 2 attempts: .*ECONNREFUSED/);
      expect(error.message).not.toContain(password);
    } finally {
      await engine.dispose();
    }
  });

  it.skipIf(!pg.up)('answers on the first attempt when PostgreSQL is up', async () => {
    const engine = await createDbEngine(testSettings(pg.server.values));
    try {
      expect((await waitForDatabase(engine, { retries: 3, intervalMs: 10 })).attempts).toBe(1);
    } finally {
      await engine.dispose();
    }
  });
});
