/**
 * An in-process JWKS endpoint on 127.0.0.1 for tests: serve, rotate and count key sets, and make
 * the endpoint fail (HTTP 500, dropped connections, slow answers) after it served warm keys.
 */
import { startHarness } from './fake-issuer-harness';
import type { PublicJwk } from './tokens';

/** How the endpoint behaves: `up` serves the keys, `error` answers 500, `down` drops the connection. */
export type JwksServerMode = 'up' | 'error' | 'down';

export interface JwksServer {
  /** The JWKS URL (for `JWKS_URI`). */
  readonly url: string;
  /** Requests received so far (every mode counts). */
  readonly fetchCount: number;
  /** Replaces the served keys (a rotation). */
  setKeys(keys: readonly PublicJwk[]): void;
  /** Serves raw JSON (or a raw string) instead of `{keys}`. */
  setBody(body: unknown): void;
  setMode(mode: JwksServerMode): void;
  /** Delays every answer by `ms`. */
  setDelay(ms: number): void;
  resetCount(): void;
  close(): Promise<void>;
}

export interface JwksServerOptions {
  readonly keys?: readonly PublicJwk[];
  /** Default `/.well-known/jwks.json`. */
  readonly path?: string;
}

/**
 * @example
 * ```ts
 * const signer = TokenFactory.rs256();
 * const jwks = await startJwksServer({ keys: [signer.publicJwk!] });
 * // settings: ACCESS_TOKEN_ALGORITHM=RS256, JWKS_URI=jwks.url
 * ```
 */
export async function startJwksServer(options: JwksServerOptions = {}): Promise<JwksServer> {
  const path = options.path ?? '/.well-known/jwks.json';
  let body: unknown = { keys: [...(options.keys ?? [])] };
  let mode: JwksServerMode = 'up';
  let delayMs = 0;
  let fetchCount = 0;
  const harness = await startHarness((req, res) => {
    fetchCount += 1;
    const answer = (): void => {
      if (mode === 'down') {
        req.socket.destroy();
        return;
      }
      if (req.url !== path) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
        return;
      }
      if (mode === 'error') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"detail":"Internal Server Error"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (delayMs > 0) harness.later(delayMs, answer);
    else answer();
  });
  return {
    url: `${harness.origin}${path}`,
    get fetchCount() {
      return fetchCount;
    },
    setKeys(keys) {
      body = { keys: [...keys] };
    },
    setBody(raw) {
      body = raw;
    },
    setMode(next) {
      mode = next;
    },
    setDelay(ms) {
      delayMs = ms;
    },
    resetCount() {
      fetchCount = 0;
    },
    close: () => harness.close(),
  };
}
