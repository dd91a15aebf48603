/**
 * A fake m8 issuer on 127.0.0.1, for stateful-mode tests: its jti-status endpoint (docs/interop.md §4)
 * and its service-token endpoint (§8). By default it answers like the real one (v1 `{active}`, or
 * the v2 shape when asked in v2), with the jtis you `revoke()` inactive; `script()` makes it answer
 * anything else: 500, non-JSON, `{"active": "false"}`, no `active`, slow, dropped connection,
 * redirect. `hardened: true` refuses the legacy shape (`X-Internal-Token` alone) with 401, as a
 * current issuer does; only a service token from its own exchange is accepted then.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { startHarness, type Harness } from './fake-issuer-harness';
import { ServiceTokens } from './service-tokens';

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
  /** The service-token exchange URL (for `SERVICE_TOKEN_URL`). */
  readonly serviceTokenUrl: string;
  /** Calls received so far, but for the exchanges (jti-status, and anything else it answers 404). */
  readonly calls: number;
  readonly requests: readonly IssuerRequest[];
  /** Service-token exchanges received so far (answered or not). */
  readonly exchanges: readonly IssuerRequest[];
  /** Answers every exchange with `answer` (or what the function returns); `undefined` restores the default. */
  scriptExchange(answer: Script | undefined): void;
  /** Every service token issued so far is refused from now on (a key rotation). */
  forgetServiceTokens(): void;
  /**
   * Stops and starts again on the same port, forgetting the service tokens it issued: a consumer
   * must exchange anew. Calls made while it is down are refused.
   */
  restart(): Promise<void>;
  /** Makes the default answer for `jti` `active: false`. */
  revoke(jti: string): void;
  /** Answers every call with `answer` (or what the function returns); `undefined` restores the default. */
  script(answer: Script | undefined): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeIssuerOptions {
  /** When set, calls without `X-Internal-Token: <secret>` get 401 (the exchange included). */
  readonly secret?: string;
  /** When set, an `X-Internal-Client` other than this one gets 401 (the exchange requires one). */
  readonly clientId?: string;
  /** Refuse the legacy and bootstrap shapes on jti-status with 401: service tokens only. */
  readonly hardened?: boolean;
  /** Default `/api/v1/internal/jti-status`. */
  readonly path?: string;
  /** Default `/api/v1/internal/service-token`. */
  readonly serviceTokenPath?: string;
  /** `expires_in` of the service tokens it issues, in seconds. Default 300. */
  readonly serviceTokenTtlSeconds?: number;
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
  const tokenPath = options.serviceTokenPath ?? '/api/v1/internal/service-token';
  const tokens = new ServiceTokens({ secret: options.secret, clientId: options.clientId, ttlSeconds: options.serviceTokenTtlSeconds ?? 300 });
  const revoked = new Set<string>();
  const requests: IssuerRequest[] = [];
  const exchanges: IssuerRequest[] = [];
  let script: Script | undefined;
  let exchangeScript: Script | undefined;

  const byDefault = (request: IssuerRequest): IssuerAnswer => {
    const refused = callerRefusal(request, options, tokens);
    if (refused !== undefined) return refused;
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const active = typeof body.jti === 'string' && !revoked.has(body.jti);
    if (body.schema_version === '2') {
      return active ? IssuerAnswers.activeV2(String(body.expected_user_id)) : IssuerAnswers.revokedV2();
    }
    return active ? IssuerAnswers.active() : IssuerAnswers.revoked();
  };

  const route = (request: IssuerRequest): IssuerAnswer => {
    if (request.method === 'POST' && request.url === tokenPath) {
      exchanges.push(request);
      return typeof exchangeScript === 'function' ? exchangeScript(request) : (exchangeScript ?? tokens.exchange(request));
    }
    requests.push(request); // every other call, so a followed redirect would show
    if (request.method !== 'POST' || request.url !== path) return { status: 404, json: { detail: 'Not Found' } };
    return typeof script === 'function' ? script(request) : (script ?? byDefault(request));
  };

  const listen = (port?: number): Promise<Harness> => startHarness((req, res, text) => {
    const answer = route({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: parse(text) });
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
  }, port);
  let harness = await listen();
  const port = Number(new URL(harness.origin).port);

  return {
    url: `${harness.origin}${path}`,
    serviceTokenUrl: `${harness.origin}${tokenPath}`,
    get calls() {
      return requests.length;
    },
    requests,
    exchanges,
    scriptExchange(next) {
      exchangeScript = next;
    },
    forgetServiceTokens: () => tokens.forget(),
    async restart() {
      await harness.close();
      tokens.forget();
      harness = await listen(port);
    },
    revoke: (jti) => void revoked.add(jti),
    script(next) {
      script = next;
    },
    reset() {
      requests.length = 0;
      exchanges.length = 0;
      revoked.clear();
      script = undefined;
      exchangeScript = undefined;
    },
    close: () => harness.close(),
  };
}

/** 401 for a caller the issuer does not accept on jti-status, or undefined when it does. */
function callerRefusal(request: IssuerRequest, options: FakeIssuerOptions, tokens: ServiceTokens): IssuerAnswer | undefined {
  const refuse = (detail: string): IssuerAnswer => ({ status: 401, json: { detail } });
  const client = request.headers['x-internal-client'];
  if (options.clientId !== undefined && client !== undefined && client !== options.clientId) return refuse('Unknown internal client');
  if (request.headers.authorization !== undefined) return tokens.accepts(request) ? undefined : refuse('Invalid service token');
  if (options.hardened) return refuse('A service token is required');
  if (options.secret !== undefined && request.headers['x-internal-token'] !== options.secret) return refuse('Invalid internal token');
  return undefined;
}
