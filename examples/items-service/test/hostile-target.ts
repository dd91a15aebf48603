/**
 * The example service as a hostile client meets it: started over real HTTP on an ephemeral port,
 * embedded SQLite in a temporary file, a writer token, plus the checks every answer must pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { TokenFactory } from '@m8/testing';
import type { M8App } from '@m8/core';
import { createApp } from '../src/app';
import { Settings } from '../src/core/config';

const SECRET = 'hostile-input-test-secret-0123456789abcdef';

export interface HostileTarget {
  readonly app: M8App<Settings>;
  readonly root: string;
  readonly api: string;
  readonly port: number;
  /** Authorization + JSON content type of a user with role `writer`. */
  readonly writer: Record<string, string>;
  close(): Promise<void>;
}

export async function startHostileTarget(values: Record<string, unknown> = {}): Promise<HostileTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'm8-hostile-'));
  const settings = Settings.load({
    values: {
      PROJECT_NAME: 'hostile input',
      TOKEN_MODE: 'stateless',
      AUTH_SERVICE_ROLE: 'consumer',
      ACCESS_SECRET_KEY: SECRET,
      LOG_LEVEL: 'silent',
      METRICS_ENABLED: true,
      SELECTED_DB: 'Sqlite',
      DB_DATABASE: join(dir, 'items.sqlite3'),
      ...values,
    },
    env: {},
    envFile: false,
  });
  const app = await createApp(settings);
  const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  const token = TokenFactory.hs256(SECRET).mint({ role: 'writer', sub: '11111111-1111-4111-8111-111111111111' });
  return {
    app,
    root: url,
    api: `${url}/api`,
    port: Number(new URL(url).port),
    writer: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What no answer may contain: a stack frame, SQL, a file path, an exception's class name. */
const LEAKS: readonly [string, RegExp][] = [
  ['a stack frame', /\bat .+[:(]\d+:\d+|\n\s+at /],
  ['SQL', /\b(select|insert into|update \w+ set|delete from|sqlite|libsql|constraint)\b/i],
  ['a file path', /(\/(src|dist|node_modules|home|usr|tmp|work|proc|etc)\/)|\w\.(ts|js|mjs|cjs)\b/],
  ['a class name', /\b(\w*Error|\w*Exception|HttpProblem|ItemsController|CreateItem|UpdateItem|ItemOut|EntityManager)\b/],
];

export function leaksIn(text: string): string[] {
  return LEAKS.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

export async function ask(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** An error answer: the status, a JSON `{"detail": ...}` body and nothing internal in it. */
export function expectProblem(answer: Answer, status: number, detail?: unknown): void {
  expect({ status: answer.status, leaks: leaksIn(answer.text) }).toEqual({ status, leaks: [] });
  expect(answer.json).toEqual({ detail: detail ?? expect.anything() });
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Writes raw bytes, reads until the server closes: for what fetch refuses to send. */
export function rawExchange(port: number, payload: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    socket.write(payload);
  });
}

export async function expectPingAnswers(target: HostileTarget): Promise<void> {
  const ping = await ask(`${target.api}/ping`);
  expect(ping.status).toBe(200);
}
