/**
 * The fault suite for a server database (PostgreSQL, MariaDB), on a throwaway server the suite
 * starts itself: killed with -9 and frozen with SIGSTOP in the middle of a write burst, every
 * acknowledged write is stored, every failure is a 503 with Retry-After (never a 500, never a
 * hang past the bounds), and the service recovers without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsumerServiceSettings } from '@m8/core';
import { createDbEngine, type DbEngine } from '@m8/db';
import { startNotesService, writeBurst, type BurstResult, type NotesService } from './service-process';
import { expectStatementTimeout, expectViolationsAnswered } from './violations';

/** What the suite needs from a throwaway server. */
export interface ThrowawayServer {
  readonly values: Record<string, unknown>;
  kill9(): void;
  restart(): Promise<void>;
  /** Stops every process of the server; returns what `thaw` must continue. */
  freeze(): number[];
  thaw(pids: number[]): void;
  stop(): void;
}

const STATEMENT_TIMEOUT_MS = 1_500;
const ACQUIRE_TIMEOUT_MS = 1_500;
const UNAVAILABLE = { detail: 'The database is unavailable; try again shortly.' };

export function serverFaultSuite(name: string, skip: string | undefined, create: () => Promise<ThrowawayServer>): void {
  if (skip) console.warn(`[skipped] ${name} fault suite: ${skip}`);
  describe.skipIf(skip !== undefined)(`${name} faults (throwaway server)`, () => {
    let server: ThrowawayServer;
    let service: NotesService;
    let reader: DbEngine;

    beforeAll(async () => {
      server = await create();
      const env = Object.fromEntries(Object.entries(server.values).map(([k, v]) => [k, String(v)]));
      service = await startNotesService({ ...env, DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), DB_POOL_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS) });
      const settings = ConsumerServiceSettings.load({ values: { PROJECT_NAME: 'reader', TOKEN_MODE: 'stateless', ACCESS_SECRET_KEY: 'r'.repeat(32), ...server.values, TABLES_PREFIX: '', DB_STATEMENT_TIMEOUT_MS: 1_000 }, env: {}, envFile: false });
      reader = await createDbEngine(settings, { healthCheckTimeoutMs: 1_000 });
    }, 90_000);

    afterAll(async () => {
      service?.kill();
      await reader?.dispose().catch(() => undefined);
      server?.stop();
    });

    async function storedKeys(prefix: string): Promise<Set<string>> {
      const column = server.values.SELECTED_DB === 'Mysql' ? '`key`' : '"key"';
      const rows = await reader.fork().getConnection().execute<{ key: string }[]>(`select ${column} as ${column} from note where ${column} like ?`, [`${prefix}-%`]);
      return new Set(rows.map((r: { key: string }) => r.key));
    }

    function expectHonestFailures(result: BurstResult): void {
      const unhandled = service.output().split('\n').filter((l) => l.includes('unhandled error'));
      expect(unhandled.slice(0, 3)).toEqual([]);
      expect(result.unanswered).toBe(0);
      expect(Object.keys(result.statuses).sort()).toEqual(['201', '503']);
      for (const failure of result.failures) {
        expect(failure.status).toBe(503);
        expect(failure.body).toEqual(UNAVAILABLE);
        expect(failure.retryAfter).toBe('2');
      }
    }

    it('answers constraint violations 409/422 without SQL, tables or values', async () => {
      await expectViolationsAnswered(service.url, 'server');
    });

    it('cuts a statement at DB_STATEMENT_TIMEOUT_MS and answers 503', async () => {
      await expectStatementTimeout(service.url, STATEMENT_TIMEOUT_MS);
    });

    it('kill -9 mid-burst: acknowledged writes stored, 503s meanwhile, recovery without a restart', async () => {
      let phase: 'before' | 'down' | 'restarting' | 'up' = 'before';
      let ackedAtRecovery = 0;
      let restarting: Promise<void> | undefined;
      const result = await writeBurst(service.url, {
        prefix: 'kill',
        concurrency: 8,
        maxRequests: 5_000,
        onAnswer: (p) => {
          if (phase === 'before' && p.acknowledged >= 100) {
            phase = 'down';
            server.kill9();
          } else if (phase === 'down' && p.failed >= 10) {
            phase = 'restarting';
            restarting = server.restart().then(() => {
              phase = 'up';
              ackedAtRecovery = p.acknowledged;
            });
          }
        },
        done: (p) => phase === 'up' && p.acknowledged >= ackedAtRecovery + 100,
      });
      await restarting;
      expect(phase).toBe('up');
      expectHonestFailures(result);
      expect(result.statuses['503']).toBeGreaterThanOrEqual(10);
      const stored = await storedKeys('kill');
      const missing = result.acknowledged.filter((key) => !stored.has(key));
      expect(missing).toEqual([]);
      expect(result.acknowledged.length).toBeGreaterThanOrEqual(200);
      console.info(`[kill -9] ${result.acknowledged.length} acknowledged, all stored; ${result.statuses['503']} answered 503`);
    }, 120_000);

    it('SIGSTOP mid-burst: 503s within the bounds, health fails with a scrubbed reason, recovery after SIGCONT', async () => {
      let phase: 'before' | 'frozen' | 'up' = 'before';
      let frozen: number[] = [];
      let ackedAtThaw = 0;
      let health: Promise<{ status: string; error: string | null }> | undefined;
      const result = await writeBurst(service.url, {
        prefix: 'freeze',
        concurrency: 8,
        maxRequests: 5_000,
        onAnswer: (p) => {
          if (phase === 'before' && p.acknowledged >= 100) {
            phase = 'frozen';
            frozen = server.freeze();
          } else if (phase === 'frozen' && p.failed >= 16 && health === undefined) {
            health = reader.healthCheck().then((h) => {
              server.thaw(frozen);
              ackedAtThaw = p.acknowledged;
              phase = 'up';
              return h;
            });
          }
        },
        done: (p) => phase === 'up' && p.acknowledged >= ackedAtThaw + 100,
      });
      const during = await health!;
      expect(during.status).toBe('fail');
      expect(during.error).toBe('timeout 1000ms');
      expectHonestFailures(result);
      // Bounded: a statement waits at most its timeout (+1 s client guard), a connection the acquire timeout.
      const bound = STATEMENT_TIMEOUT_MS + 1_000 + ACQUIRE_TIMEOUT_MS + 2_000;
      for (const failure of result.failures) expect(failure.ms).toBeLessThan(bound);
      const stored = await storedKeys('freeze');
      expect(result.acknowledged.filter((key) => !stored.has(key))).toEqual([]);
      expect((await reader.healthCheck()).status).toBe('ok');
      console.info(`[SIGSTOP] ${result.acknowledged.length} acknowledged, all stored; ${result.statuses['503']} answered 503; slowest ${Math.round(result.slowestMs)} ms`);
    }, 120_000);
  });
}
