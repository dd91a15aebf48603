/**
 * SQLite: the service killed with -9 in the middle of a write burst. Every acknowledged write is in
 * the file afterwards and `PRAGMA integrity_check` answers ok; constraint violations are answered
 * 409/422 like on the server databases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumerServiceSettings } from '@m8/core';
import { createDbEngine } from '@m8/db';
import { startNotesService, writeBurst, type NotesService } from './service-process';
import { expectViolationsAnswered } from './violations';

describe('SQLite faults', () => {
  let dir: string;
  const services: NotesService[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'm8-sqlite-faults-'));
  });
  afterAll(() => {
    for (const service of services) service.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (file: string): Promise<NotesService> => {
    const service = await startNotesService({ SELECTED_DB: 'Sqlite', DB_DATABASE: join(dir, file) });
    services.push(service);
    return service;
  };

  it('answers constraint violations 409/422 without SQL, tables or values', async () => {
    const service = await start('violations.db');
    await expectViolationsAnswered(service.url, 'sqlite');
  });

  it('kill -9 of the service mid-burst: every acknowledged write stored, integrity_check ok', async () => {
    const file = join(dir, 'burst.db');
    const service = await start('burst.db');
    const result = await writeBurst(service.url, {
      prefix: 'sqlite',
      concurrency: 8,
      maxRequests: 2_000,
      onAnswer: (p) => {
        if (p.acknowledged === 150) service.kill('SIGKILL');
      },
      done: (p) => p.failed > 0,
    });
    expect(await service.exited).toBe(null);
    expect(result.statuses['201']).toBe(result.acknowledged.length);
    expect(result.acknowledged.length).toBeGreaterThanOrEqual(150);
    // Once killed, nothing answers: those writes were never acknowledged.
    expect(result.unanswered).toBeGreaterThan(0);

    const settings = ConsumerServiceSettings.load({
      values: { PROJECT_NAME: 'reader', TOKEN_MODE: 'stateless', ACCESS_SECRET_KEY: 'r'.repeat(32), SELECTED_DB: 'Sqlite', DB_DATABASE: file, TABLES_PREFIX: '' },
      env: {},
      envFile: false,
    });
    const reader = await createDbEngine(settings);
    try {
      const connection = reader.fork().getConnection();
      expect(await connection.execute('pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      const rows = await connection.execute<{ key: string }[]>(`select key from note where key like 'sqlite-%'`);
      const stored = new Set(rows.map((r: { key: string }) => r.key));
      expect(result.acknowledged.filter((key) => !stored.has(key))).toEqual([]);
      console.info(`[SQLite kill -9] ${result.acknowledged.length} acknowledged, all stored; integrity_check ok`);
    } finally {
      await reader.dispose();
    }
  }, 60_000);
});
