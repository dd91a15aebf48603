/**
 * A fake m8 issuer's jti-status endpoint (docs/interop.md §4) on 127.0.0.1, for stateful-mode tests.
 * By default it answers like the real one (v1 `{active}`, or the v2 shape when asked in v2), with
 * the jtis you `revoke()` inactive; `script()` makes it answer anything else: 500, non-JSON,
 * `{"active": "false"}`, no `active`, slow, dropped connection, redirect.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { startHarness } from './fake-issuer-harness';

/** One scripted answer. */
export interface IssuerAnswer {
  readonly status?: number;
  /** JSON body (serialised). */
  readonly json?: unknown;
  /** Raw body, sent as is (wins over `json`). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Answer after `delayMs`. */
  readonly delayMs?: number;
  /** Drop the connection without answering. */
  readonly destroy?: boolean;
}

/** A request the issuer received. */
export interface IssuerRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  readonly body: unknown;
}

type Script = IssuerAnswer | ((request: IssuerRequest) => IssuerAnswer);

/** Ready-made answers, including every malformed case of the contract. */
export const IssuerAnswers = {
  active: (): IssuerAnswer => ({ json: { active: true } }),
  revoked: (): IssuerAnswer => ({ json: { active: false } }),
  activeV2: (userId: string, authGeneration = 1): IssuerAnswer => ({
    json: { active: true, auth_generation: authGeneration, schema_version: '2', user_id: userId },
  }),
  revokedV2: (): IssuerAnswer => ({ json: { active: false, schema_version: '2' } }),
  serverError: (): IssuerAnswer => ({ status: 500, json: { detail: 'Internal Server Error' } }),
  nonJson: (): IssuerAnswer => ({ raw: '<html>ok</html>', headers: { 'content-type': 'text/html' } }),
  activeAsString: (): IssuerAnswer => ({ json: { active: 'false' } }),
  missingActive: (): IssuerAnswer => ({ json: { status: 'ok' } }),
  slow: (delayMs: number, then: IssuerAnswer = { json: { active: true } }): IssuerAnswer => ({ ...then, delayMs }),
  down: (): IssuerAnswer => ({ destroy: true }),
  redirect: (location: string): IssuerAnswer => ({ status: 307, headers: { location }, raw: '' }),
} as const;

export interface FakeIssuer {
  /** The jti-status URL (for `INTROSPECTION_URL`). */
  readonly url: string;
  /** Calls received so far. */
  readonly calls: number;
  readonly requests: readonly IssuerRequest[];
  /** Makes the default answer for `jti` `active: false`. */
  revoke(jti: string): void;
  /** Answers every call with `answer` (or what the function returns); `undefined` restores the default. */
  script(answer: Script | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeIssuerOptions {
  /** When set, calls without `X-Internal-Token: <secret>` get 401. */
  readonly secret?: string;
  /** Default `/api/v1/internal/jti-status`. */
  readonly path?: string;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * @example
 * ```ts
 * const issuer = await startFakeIssuer({ secret: 'internal-secret' });
 * issuer.revoke(jti);                         // that token is now revoked
 * issuer.script(IssuerAnswers.slow(5_000));   // or: every call is slow
 * ```
 */
export async function startFakeIssuer(options: FakeIssuerOptions = {}): Promise<FakeIssuer> {
  const path = options.path ?? '/api/v1/internal/jti-status';
  const revoked = new Set<string>();
  const requests: IssuerRequest[] = [];
  let script: Script | undefined;

  const byDefault = (request: IssuerRequest): IssuerAnswer => {
    if (options.secret !== undefined && request.headers['x-internal-token'] !== options.secret) {
      return { status: 401, json: { detail: 'Invalid internal token' } };
    }
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const active = typeof body.jti === 'string' && !revoked.has(body.jti);
    if (body.schema_version === '2') {
      return active ? IssuerAnswers.activeV2(String(body.expected_user_id)) : IssuerAnswers.revokedV2();
    }
    return active ? IssuerAnswers.active() : IssuerAnswers.revoked();
  };

  const harness = await startHarness((req, res, text) => {
    const request: IssuerRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: parse(text) };
    requests.push(request);
    const answer =
      req.url !== path || req.method !== 'POST'
        ? { status: 404, json: { detail: 'Not Found' } }
        : typeof script === 'function'
          ? script(request)
          : (script ?? byDefault(request));
    const send = (): void => {
      if (answer.destroy) {
        req.socket.destroy();
        return;
      }
      const payload = answer.raw ?? JSON.stringify(answer.json ?? null);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers }).end(payload);
    };
    if (answer.delayMs) harness.later(answer.delayMs, send);
    else send();
  });

  return {
    url: `${harness.origin}${path}`,
    get calls() {
      return requests.length;
    },
    requests,
    revoke: (jti) => void revoked.add(jti),
    script(next) {
      script = next;
    },
    reset() {
      requests.length = 0;
      revoked.clear();
      script = undefined;
    },
    close: () => harness.close(),
  };
}
