/**
 * WORKERS=2 end to end: a real node:cluster service (test/fixtures/cluster-service.cjs, built
 * packages) on 127.0.0.1. `/metrics` answers for both workers, a killed worker is replaced,
 * SIGTERM drains every worker without dropping a request, and health reflects every worker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { childCoverageEnv } from '../../../test/support/child-coverage';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const FIXTURE = join(here, 'fixtures', 'cluster-service.cjs');

interface Line {
  readonly fixture: string;
  readonly [key: string]: unknown;
}

/** A running fixture: its stderr lines as events, and waiters for them. */
class Service {
  readonly lines: Line[] = [];
  private readonly waiters: { match: (l: Line) => boolean; resolve: (l: Line) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!text.startsWith('{"fixture"')) continue;
        const line = JSON.parse(text) as Line;
        this.lines.push(line);
        for (const w of [...this.waiters]) {
          if (w.match(line)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** The first line (already seen or coming) that matches. */
  next(match: (l: Line) => boolean, seen = 0): Promise<Line> {
    const found = this.lines.slice(seen).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Resolves once `count` lines match. */
  async count(match: (l: Line) => boolean, count: number): Promise<Line[]> {
    for (;;) {
      const all = this.lines.filter(match);
      if (all.length >= count) return all;
      await this.next((l) => match(l) && !all.includes(l), 0);
    }
  }
}

function start(env: Record<string, string> = {}): Service {
  const child = spawn(process.execPath, [FIXTURE], {
    cwd: here,
    env: {
      PATH: process.env.PATH ?? '',
      ...childCoverageEnv(), // the primary and the workers it forks
      NODE_ENV: 'production',
      PROJECT_NAME: 'cluster test',
      AUTH_SERVICE_ROLE: 'consumer',
      TOKEN_MODE: 'stateless',
      ACCESS_SECRET_KEY: 'cluster-test-secret-0123456789-abcdefghij',
      WORKERS: '2',
      PORT: '0',
      LOG_LEVEL: 'warn',
      METRICS_ENABLED: 'true',
      SHUTDOWN_TIMEOUT_SECONDS: '10',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Service(child);
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // agent: false: a new connection per request, so the primary spreads them over the workers.
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Both workers listening and reported ready to the primary; resolves with the service's base URL. */
async function ready(service: Service): Promise<string> {
  await service.count((l) => l.fixture === 'worker-ready', 2);
  const listening = await service.next((l) => l.fixture === 'listening');
  return listening.url as string;
}

let running: Service | undefined;

beforeAll(() => {
  // The fixture runs the built packages: build them from the sources under test first.
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'packages/metrics', 'packages/health'], { cwd: root, encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
}, 120_000);

afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  running = undefined;
});

describe('WORKERS=2', () => {
  it('answers /metrics for the whole service: requests served by both workers are summed', async () => {
    const service = (running = start());
    const url = await ready(service);
    const pids = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const res = await get(`${url}/api/whoami`);
      expect(res.status).toBe(200);
      pids.add((JSON.parse(res.body) as { pid: number }).pid);
    }
    expect(pids.size).toBe(2); // round-robin: both workers served some
    const scrape = await get(`${url}/metrics`);
    expect(scrape.status).toBe(200);
    const line = scrape.body.split('\n').find((l) => l.startsWith('api_http_requests_total{') && l.includes('endpoint="/api/whoami"') && l.includes('status_code="200"'));
    expect(line?.split(' ').pop()).toBe('20');
  });

  it('restarts a worker that dies, and health reflects every worker', async () => {
    const service = (running = start());
    const url = await ready(service);
    const before = await get(`${url}/api/health/`);
    expect(before.status).toBe(200);
    expect(JSON.parse(before.body)).toMatchObject({ status: 'ok', checks: [{ name: 'workers', status: 'ok', meta: { expected: 2, ready: 2 } }] });

    const victim = (await service.next((l) => l.fixture === 'worker-ready')).pid as number;
    const seen = service.lines.length;
    process.kill(victim, 'SIGKILL');
    const exit = await service.next((l) => l.fixture === 'worker-exit' && l.pid === victim, seen);
    expect(exit).toMatchObject({ signal: 'SIGKILL', restarting: true });
    const replacement = await service.next((l) => l.fixture === 'worker-ready' && l.pid !== victim, seen);
    expect(replacement.pid).not.toBe(victim);
    expect(typeof replacement.pid).toBe('number');

    const pids = new Set<number>();
    for (let i = 0; i < 10; i++) pids.add((JSON.parse((await get(`${url}/api/whoami`)).body) as { pid: number }).pid);
    expect(pids.has(victim)).toBe(false);
    expect(pids.has(replacement.pid as number)).toBe(true);
    // Every worker ready again, as each worker knows it from the primary.
    const after = await get(`${url}/api/health/`);
    expect(JSON.parse(after.body)).toMatchObject({ status: 'ok', checks: [{ name: 'workers', status: 'ok', meta: { expected: 2, ready: 2 } }] });
  });

  it('SIGTERM drains every worker: each request in flight is answered, then the primary exits 0', async () => {
    const service = (running = start({ SLOW_MS: '400' }));
    const url = await ready(service);
    const inFlight = Array.from({ length: 20 }, () => get(`${url}/api/slow`));
    const started = await service.count((l) => l.fixture === 'slow-started', 20);
    expect(new Set(started.map((l) => l.pid)).size).toBe(2); // both workers hold requests
    service.child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.every((a) => (JSON.parse(a.body) as { done: boolean }).done)).toBe(true);
    expect(await service.exited).toBe(0);
    expect(service.lines.filter((l) => l.fixture === 'worker-exit').map((l) => l.restarting)).toEqual([false, false]);
    expect(service.lines.find((l) => l.fixture === 'stopped')).toMatchObject({ code: 0 });
  });
});
