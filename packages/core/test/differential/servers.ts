/** The two servers of the differential suite: bootstrap() and plain routing-controllers on Koa, with the same checkers. */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { useKoaServer, type Action, type RoutingControllersOptions } from 'routing-controllers';
import type { Context } from 'koa';
import type { AuthProvider, M8Plugin, RequestValidation, RoutingMode } from '@m8/core';
import { createTestSettings, startTestApp, type TestApp } from '@m8/testing';
import { CONTROLLERS } from './controllers';

const USERS: Record<string, { id: string; roles: string[] }> = { alice: { id: 'alice', roles: ['admin'] }, bob: { id: 'bob', roles: [] } };

/** `X-User: alice|bob`; `X-Async: 1` for promise answers. */
export function authorizationChecker(action: Action, roles: string[]): boolean | Promise<boolean> {
  const ctx = action.context as Context;
  const user = USERS[ctx.get('x-user')];
  const allowed = user !== undefined && roles.every((role) => user.roles.includes(role));
  return ctx.get('x-async') ? Promise.resolve(allowed) : allowed;
}

export function currentUserChecker(action: Action): unknown {
  const ctx = action.context as Context;
  const user = USERS[ctx.get('x-user')];
  return ctx.get('x-async') ? Promise.resolve(user) : user;
}

const checkers: AuthProvider = { authorizationChecker, currentUserChecker };

/** The same checkers as the plain server's, plus a request-stage middleware controllers can read. */
const plugin: M8Plugin = {
  name: 'differential',
  setup(app) {
    app.authorize(checkers);
    app.use('request', async (ctx, next) => {
      ctx.state.who = 'w';
      await next();
    });
  },
};

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

export interface M8Served extends Served {
  readonly app: TestApp<never>['app'];
  /** Every JSON log line written so far. */
  readonly lines: Record<string, unknown>[];
}

export async function startM8(options: { routing?: RoutingMode; validation?: RequestValidation; controllers?: readonly Function[] } = {}): Promise<M8Served> {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const served = await startTestApp({
    // Room for the 100,000-key body of the whitelist test.
    settings: createTestSettings({ LOG_LEVEL: 'debug', BODY_LIMIT_BYTES: 4_000_000, BODY_MAX_FIELDS: 200_000 }),
    controllers: options.controllers ?? CONTROLLERS,
    routing: options.routing,
    validation: options.validation,
    logger: { destination },
    plugins: [plugin],
  });
  return { url: served.url, app: served.app as TestApp<never>['app'], lines, close: () => served.close() };
}

/** Plain routing-controllers: its defaults, the same checkers, the same prefix. */
export async function startPlain(extra: Partial<RoutingControllersOptions> = {}): Promise<Served> {
  const koa = new Koa();
  koa.use(async (ctx, next) => {
    ctx.state.who = 'w';
    await next();
  });
  useKoaServer(koa, { controllers: [...CONTROLLERS], routePrefix: '/api', authorizationChecker, currentUserChecker, ...extra });
  const server = koa.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export interface Probe {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly form?: FormData;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | null>;
  readonly body: unknown;
}

const COMPARED_HEADERS = ['content-type', 'allow', 'location', 'x-custom', 'x-before', 'x-after'];

export async function send(base: string, probe: Probe): Promise<Answer> {
  const res = await fetch(`${base}${probe.path}`, {
    method: probe.method ?? 'GET',
    redirect: 'manual',
    headers: { ...(probe.json !== undefined && { 'content-type': 'application/json' }), ...probe.headers },
    body: probe.form ?? (probe.json === undefined ? undefined : JSON.stringify(probe.json)),
  });
  const text = await res.text();
  const headers: Record<string, string | null> = {};
  for (const name of COMPARED_HEADERS) headers[name] = res.headers.get(name);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers, body };
}
