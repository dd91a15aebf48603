/**
 * The built service as `npm start` runs it (`node dist/main.js` with the committed local.env, built by
 * the run's global setup, test/setup/build.ts): the
 * printed curl lines give 200 / 401 / 403, and SIGTERM shuts it down gracefully; a second signal
 * forces the exit. Runs the compiled output, not vitest's transform, so module-format problems
 * show here (vitest would hide them).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { childCoverageEnv } from '../../../test/support/child-coverage';

const main = join(__dirname, '..', 'dist', 'main.js');
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function start(env: Record<string, string> = {}, args: string[] = []): Promise<{ url: string; output: () => string; exited: Promise<number | null> }> {
  const proc = spawn(process.execPath, [main, ...args], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, ...childCoverageEnv(), PORT: '0', DB_DATABASE: ':memory:', ...env },
  });
  child = proc;
  let out = '';
  proc.stdout.on('data', (chunk) => (out += String(chunk)));
  proc.stderr.on('data', (chunk) => (out += String(chunk)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 15 s:\n${out}`)), 15_000);
    const onData = (): void => {
      const match = /ready on (http:\/\/\S+)/.exec(out);
      if (match && /curl -s \S+\/metrics/.test(out)) {
        clearTimeout(timer);
        proc.stdout.off('data', onData);
        resolve({ url: match[1]!, output: () => out, exited });
      }
    };
    proc.stdout.on('data', onData);
    void exited.then((code) => reject(new Error(`exited with ${code} before ready:\n${out}`)));
  });
}

/** Runs one printed `curl -i [-X M] [-H "..."]... [-d '...'] URL` line with fetch. */
async function runCurl(line: string): Promise<number> {
  const headers: Record<string, string> = {};
  for (const [, name, value] of line.matchAll(/-H "([^:]+): ([^"]+)"/g)) headers[name!] = value!;
  const method = /-X (\w+)/.exec(line)?.[1] ?? 'GET';
  const body = /-d '([^']*)'/.exec(line)?.[1];
  const url = line.trim().split(/\s+/).at(-1)!;
  return (await fetch(url, { method, headers, body })).status;
}

describe('items-service as npm start runs it (built output)', () => {
  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`${main} is missing: the run's global setup (test/setup/build.ts) should have built it`);
  });

  it('prints curl lines that answer 200, 401, 403, 201 and 200', async () => {
    const service = await start();
    const lines = service.output().split('\n').filter((l) => l.startsWith('curl -i'));
    const statuses: number[] = [];
    for (const line of lines.filter((l) => !l.includes('/health/'))) statuses.push(await runCurl(line));
    expect(statuses).toEqual([200, 401, 403, 201, 200]);
    child!.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.output()).toContain('"msg":"shutdown complete"');
  }, 30_000);

  it('forces the exit on a second signal', async () => {
    const service = await start({ SHUTDOWN_DELAY_SECONDS: '30' });
    child!.kill('SIGTERM');
    // Shutdown has begun once readiness says so: ask until it does (the signal arrives asynchronously).
    await vi.waitFor(
      async () => {
        const health = await fetch(`${service.url}/api/health/`);
        expect([health.status, await health.json()]).toEqual([503, { status: 'shutting_down' }]);
      },
      { timeout: 10_000, interval: 20 },
    );
    const before = Date.now();
    child!.kill('SIGTERM');
    expect(await service.exited).toBe(1);
    expect(Date.now() - before).toBeLessThan(5_000);
    expect(service.output()).toContain('second signal: forcing exit');
  }, 30_000);

  it('npm start -- --stateful: a fake issuer answers, and every printed curl line answers as its comment says', async () => {
    const service = await start({}, ['--stateful']);
    const lines = service.output().split('\n');
    const checked: Array<[number, number]> = [];
    for (let i = 1; i < lines.length; i++) {
      const label = /^# (\d{3})\b/.exec(lines[i - 1]!);
      if (label && lines[i]!.startsWith('curl -i')) checked.push([Number(label[1]), await runCurl(lines[i]!)]);
    }
    expect(service.output()).toContain('as a stateful consumer of a local fake issuer');
    expect(checked.map(([expected]) => expected)).toEqual([200, 401, 401, 403, 201, 200]);
    for (const [expected, actual] of checked) expect(actual).toBe(expected);
    child!.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  }, 30_000);
});
