/** A real m8 app on 127.0.0.1 with @m8/auth plugged in, and small HTTP helpers for the tests. */
import type { Server } from 'node:http';
import { bootstrap, ConsumerServiceSettings, type M8App, type M8EventMap } from '@m8/core';
import { buildAuthDeps, type AuthDeps, type AuthOptions } from '@m8/auth';

/** The fixture key of the contract vectors (also fine as a test secret: ≥ 32 characters). */
export const FIXTURE_KEY = 'AuthSdkM8-Fixture_TrustedTestKey-2026-DoNotUseInProd!';

export interface TestApp {
  readonly url: string;
  readonly app: M8App;
  /** The listening HTTP server (to observe requests as they arrive). */
  readonly server: Server;
  readonly auth: AuthDeps;
  readonly settings: ConsumerServiceSettings;
  /** Every event auth emitted, in order. */
  readonly events: { name: keyof M8EventMap; event: unknown }[];
  /** Parsed JSON log lines. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export function loadTestSettings(values: Record<string, unknown> = {}): ConsumerServiceSettings {
  return ConsumerServiceSettings.load({
    values: {
      PROJECT_NAME: 'auth tests',
      TOKEN_MODE: 'stateless',
      AUTH_SERVICE_ROLE: 'consumer',
      ACCESS_TOKEN_ALGORITHM: 'HS256',
      ACCESS_SECRET_KEY: FIXTURE_KEY,
      LOG_LEVEL: 'warn',
      SHUTDOWN_TIMEOUT_SECONDS: 1,
      ...values,
    },
    env: {},
    envFile: false,
  });
}

export async function startTestApp(
  controllers: Function[],
  values: Record<string, unknown> = {},
  options: AuthOptions = {},
): Promise<TestApp> {
  const settings = loadTestSettings(values);
  // The start-up issuer probe would add a call to the counts most tests assert: on only where asked.
  const auth = buildAuthDeps(settings, { probeIssuerAtStart: false, ...options });
  const logs: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) };
  const app = await bootstrap(settings, { controllers, plugins: [auth], logger: { destination } });
  const events: TestApp['events'] = [];
  for (const name of ['auth.failure', 'auth.revocation', 'auth.revocation_cache', 'auth.service_token'] as const) {
    app.events.on(name, (event) => void events.push({ name, event }));
  }
  const { url, server } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  return { url: `${url}${settings.apiPrefix}`, app, server, auth, settings, events, logs, close: () => app.close() };
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
  readonly ms: number;
}

/** GET `url` with `Authorization: Bearer <token>` (or a raw header value via `authorization`). */
export async function call(url: string, auth: { token?: string; authorization?: string; method?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (auth.token !== undefined) headers.authorization = `Bearer ${auth.token}`;
  if (auth.authorization !== undefined) headers.authorization = auth.authorization;
  const started = performance.now();
  const response = await fetch(url, { method: auth.method ?? 'GET', headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body, headers: response.headers, ms: performance.now() - started };
}

/** The contract's answer for a refused token (docs/interop.md §3). */
export const INVALID = { status: 401, body: { detail: 'Could not validate credentials.' }, challenge: 'Bearer error="invalid_token"' };
