/** Runs fixtures/notes-service.cjs as a child process, and a bounded write burst against it. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'undici';

export interface NotesService {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly exited: Promise<number | null>;
  output(): string;
  kill(signal?: NodeJS.Signals): void;
}

export async function startNotesService(env: Record<string, string>): Promise<NotesService> {
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'notes-service.cjs')], {
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      ENVIRONMENT: 'production',
      // Deployed-looking hosts: production refuses the local defaults at start (configuration posture).
      DOMAIN: 'notes.test',
      BACKEND_HOST: 'https://notes.test',
      FRONTEND_HOST: 'https://app.notes.test',
      BACKEND_CORS_ORIGINS: 'https://app.notes.test',
      SHUTDOWN_DELAY_SECONDS: '0',
      ...env,
    },
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += String(chunk)));
  child.stderr.on('data', (chunk) => (out += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`notes service: not listening within 30 s\n${out}`)), 30_000);
    const check = (): void => {
      const match = /LISTENING (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stderr.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`notes service exited (${code}) before listening\n${out}`));
    });
  });
  return {
    child,
    url,
    exited,
    output: () => out,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

export interface BurstResult {
  /** Keys answered 201: the service said they are stored. */
  readonly acknowledged: string[];
  /** Status → count of every answer. */
  readonly statuses: Record<string, number>;
  /** Non-201 answers (the first 50) with the time each took, to check their shape and bound. */
  readonly failures: { status: number; body: unknown; retryAfter: string | undefined; ms: number }[];
  /** Requests that got no HTTP answer at all (connection refused or cut). */
  readonly unanswered: number;
  /** The slowest answer, in ms. */
  readonly slowestMs: number;
}

export interface BurstOptions {
  readonly prefix: string;
  readonly concurrency: number;
  /** Hard bound on the number of requests. */
  readonly maxRequests: number;
  /** Asked after every answer; the burst ends once it says true. */
  readonly done: (progress: BurstProgress) => boolean;
  /** Called after every answer (e.g. to trigger a fault at some point). */
  readonly onAnswer?: (progress: BurstProgress) => void;
}

export interface BurstProgress {
  readonly acknowledged: number;
  readonly failed: number;
}

/** POST /notes with `concurrency` in flight, each key unique (`prefix-n`), until `done()` or `maxRequests`. */
export async function writeBurst(url: string, options: BurstOptions): Promise<BurstResult> {
  const agent = new Agent({ connections: options.concurrency, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const acknowledged: string[] = [];
  const statuses: Record<string, number> = {};
  const failures: BurstResult['failures'] = [];
  let unanswered = 0;
  let slowestMs = 0;
  let next = 0;
  let finished = false;
  const progress = (): BurstProgress => ({ acknowledged: acknowledged.length, failed: failures.length + unanswered });
  const worker = async (): Promise<void> => {
    while (!finished && next < options.maxRequests) {
      const key = `${options.prefix}-${next++}`;
      const started = performance.now();
      let ok = false;
      try {
        const res = await request(`${url}/notes`, {
          dispatcher: agent,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ key, body: `note ${key}` }),
        });
        const body = (await res.body.json()) as unknown;
        const ms = performance.now() - started;
        slowestMs = Math.max(slowestMs, ms);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode === 201) {
          acknowledged.push(key);
          ok = true;
        } else if (failures.length < 50) {
          failures.push({ status: res.statusCode, body, retryAfter: res.headers['retry-after'] as string | undefined, ms });
        }
      } catch {
        unanswered += 1;
      }
      options.onAnswer?.(progress());
      if (options.done(progress())) finished = true;
      // A client told to retry later does not hammer: a short pause after a failure.
      if (!ok) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await agent.close();
  return { acknowledged, statuses, failures, unanswered, slowestMs };
}
