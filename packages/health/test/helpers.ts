import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bootstrap, ConsumerServiceSettings, type BootstrapOptions, type M8App } from '@m8/core';
import { HealthConfig, type HealthOptions } from '@m8/health';

export const INTERNAL_SECRET = 'internal-secret-for-health-tests-0123456789';

/** Hermetic settings: no .env, no process environment, silent logs. */
export function testSettings(overrides: Record<string, unknown> = {}): ConsumerServiceSettings {
  return ConsumerServiceSettings.load({
    values: {
      PROJECT_NAME: 'orders',
      ACCESS_SECRET_KEY: 'health-test-access-secret-key-0123456789',
      TOKEN_MODE: 'stateless',
      AUTH_SERVICE_ROLE: 'consumer',
      LOG_LEVEL: 'silent',
      PRIVATE_API_SECRET: INTERNAL_SECRET,
      ...overrides,
    },
    env: {},
    envFile: false,
  });
}

export interface Running {
  readonly app: M8App;
  readonly url: string;
  close(): Promise<void>;
}

/** A real app with `health` on an ephemeral loopback port (listen() runs the start-up lifecycle). */
export async function startHealthApp(
  health: HealthOptions | HealthConfig = {},
  settings: Record<string, unknown> = {},
  options: Partial<BootstrapOptions> = {},
): Promise<Running> {
  const app = await bootstrap(testSettings(settings), {
    controllers: [],
    serviceName: 'orders',
    serviceVersion: '1.2.3',
    ...options,
    plugins: [health instanceof HealthConfig ? health : new HealthConfig(health), ...(options.plugins ?? [])],
  });
  const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  return { app, url, close: () => app.close() };
}

/**
 * A real app served by our own listener, *not yet started*: lets a test see the `initializing`
 * answer before calling `app.start()` (listen() would wait for the start-up lifecycle).
 */
export async function serveUnstarted(health: HealthOptions, options: Partial<BootstrapOptions> = {}): Promise<Running & { server: Server }> {
  const app = await bootstrap(testSettings(), { controllers: [], serviceName: 'orders', ...options, plugins: [new HealthConfig(health), ...(options.plugins ?? [])] });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    app,
    server,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
  readonly ms: number;
}

/** GET without following redirects; the body parsed as JSON. */
export async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, { headers, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers, ms: performance.now() - started };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
