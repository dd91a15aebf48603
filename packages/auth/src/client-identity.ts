/**
 * How this service identifies itself on private calls to the issuer (docs/interop.md §8):
 * - `legacy`: `X-Internal-Token: {PRIVATE_API_SECRET}`;
 * - `bootstrap`: the same plus `X-Internal-Client: {INTERNAL_CLIENT_ID}`;
 * - `service_token`: `Authorization: Bearer <token>` plus `X-Internal-Client`, the token obtained
 *   by posting the bootstrap headers to `SERVICE_TOKEN_URL`. It is replaced `leewayMs` before it
 *   expires, concurrent callers share one exchange, and a caller whose token was refused (401)
 *   asks `renew()` for a new one once.
 * A failed exchange rejects with `ServiceTokenError`: the private call cannot be made, and its
 * caller treats it as unverifiable whatever its failure mode (the service fails closed).
 */
import type { KyInstance } from 'ky';
import type { Agent } from 'undici';
import type { ClientIdentityMode } from '@m8/core';
import { ServiceTokenError } from './errors';
import type { AuthTelemetry } from './telemetry';

/** Headers of one private call. */
export type IdentityHeaders = Readonly<Record<string, string>>;

/** What a private-call client asks of an identity. */
export interface ClientIdentity {
  readonly mode: ClientIdentityMode;
  /** The headers for the next call (may exchange a token first). */
  headers(): IdentityHeaders | Promise<IdentityHeaders>;
  /**
   * After a 401 to `used`: new headers when a new credential can be had (one exchange, shared by
   * every caller that saw the same 401), or undefined when retrying could not help.
   */
  renew(used: IdentityHeaders): Promise<IdentityHeaders | undefined>;
  close(): Promise<void>;
}

/** The fixed headers of the legacy and bootstrap modes. */
export class StaticIdentity implements ClientIdentity {
  readonly mode: ClientIdentityMode;
  private readonly fixed: IdentityHeaders;

  constructor(secret: string, clientId: string | undefined) {
    this.mode = clientId ? 'bootstrap' : 'legacy';
    this.fixed = Object.freeze(bootstrapHeaders(secret, clientId));
  }

  headers(): IdentityHeaders {
    return this.fixed;
  }

  /** The same secret would be refused again. */
  async renew(): Promise<undefined> {
    return undefined;
  }

  async close(): Promise<void> {}
}

function bootstrapHeaders(secret: string, clientId: string | undefined): Record<string, string> {
  const headers: Record<string, string> = { 'X-Internal-Token': secret };
  if (clientId) headers['X-Internal-Client'] = clientId;
  return headers;
}

export interface ServiceTokenOptions {
  /** `SERVICE_TOKEN_URL`. */
  readonly url: string;
  /** `INTERNAL_CLIENT_ID`. */
  readonly clientId: string;
  /** `PRIVATE_API_SECRET`, the bootstrap credential of the exchange. */
  readonly secret: string;
  /** `SERVICE_TOKEN_SCOPES`; empty sends `{}`. */
  readonly scopes: readonly string[];
  /** `SERVICE_TOKEN_REFRESH_LEEWAY_SECONDS` × 1000. */
  readonly leewayMs: number;
  readonly connectTimeoutMs: number;
  /** Whole exchange timeout, in ms. */
  readonly timeoutMs: number;
  readonly telemetry: AuthTelemetry;
  /** Clock in ms (tests move it). Default `Date.now`. */
  readonly now?: () => number;
}

interface HeldToken {
  readonly headers: IdentityHeaders;
  /** When it is due for replacement (expiry minus the leeway), in ms. */
  readonly renewAt: number;
}

export class ServiceTokenIdentity implements ClientIdentity {
  readonly mode = 'service_token' as const;
  private readonly agent: Agent;
  private readonly http: KyInstance;
  private readonly now: () => number;
  private held: HeldToken | undefined;
  private exchanging: Promise<IdentityHeaders> | undefined;

  constructor(private readonly options: ServiceTokenOptions) {
    this.now = options.now ?? Date.now;
    // Loaded on construction, as in revocation-client.ts: a service without this identity never pays for them.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Agent: UndiciAgent } = require('undici') as typeof import('undici');
    const ky = (require('ky') as typeof import('ky')).default;
    /* eslint-enable @typescript-eslint/no-require-imports */
    this.agent = new UndiciAgent({ connect: { timeout: options.connectTimeoutMs }, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
    this.http = ky.create({
      headers: { ...bootstrapHeaders(options.secret, options.clientId), accept: 'application/json' },
      retry: 0,
      timeout: false, // our own signal bounds the whole exchange, body included
      throwHttpErrors: false,
      redirect: 'manual',
      ...({ dispatcher: this.agent } as object),
    });
  }

  headers(): IdentityHeaders | Promise<IdentityHeaders> {
    const held = this.held;
    if (held !== undefined && this.now() < held.renewAt) return held.headers;
    return this.exchange();
  }

  renew(used: IdentityHeaders): Promise<IdentityHeaders> {
    // Another caller may already have replaced the refused token: use its replacement.
    if (this.held !== undefined && this.held.headers !== used) return Promise.resolve(this.held.headers);
    this.held = undefined;
    return this.exchange();
  }

  async close(): Promise<void> {
    this.held = undefined;
    await this.agent.close();
  }

  /** One exchange at a time; every caller meanwhile waits for the same one. */
  private exchange(): Promise<IdentityHeaders> {
    this.exchanging ??= this.fetchToken().finally(() => {
      this.exchanging = undefined;
    });
    return this.exchanging;
  }

  private async fetchToken(): Promise<IdentityHeaders> {
    const { telemetry, scopes } = this.options;
    try {
      const token = await this.post(scopes.length > 0 ? { scopes } : {});
      this.held = token;
      telemetry.serviceTokenExchange('success');
      return token.headers;
    } catch (error) {
      this.held = undefined;
      const reason = error instanceof ServiceTokenError ? error.reason : 'the issuer could not be reached';
      telemetry.serviceTokenExchange('failure');
      telemetry.warn({ event: 'service_token_exchange_failed', reason }, 'service-token exchange failed; private calls to the issuer fail closed');
      throw error instanceof ServiceTokenError ? error : new ServiceTokenError(reason);
    }
  }

  private async post(body: object): Promise<HeldToken> {
    const response = await this.http.post(this.options.url, { json: body, signal: AbortSignal.timeout(this.options.timeoutMs) });
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => undefined);
      throw new ServiceTokenError(`the issuer answered HTTP ${response.status}`);
    }
    let reply: unknown;
    try {
      reply = JSON.parse(await response.text());
    } catch {
      throw new ServiceTokenError('the answer is not JSON');
    }
    const { access_token: token, expires_in: expiresIn } = (typeof reply === 'object' && reply !== null ? reply : {}) as Record<string, unknown>;
    if (typeof token !== 'string' || token === '' || /[\s,]/.test(token)) throw new ServiceTokenError('the answer has no usable access_token');
    if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) throw new ServiceTokenError('the answer has no positive expires_in');
    const headers = Object.freeze({ Authorization: `Bearer ${token}`, 'X-Internal-Client': this.options.clientId });
    // A token shorter-lived than the leeway is used for the call at hand only.
    return { headers, renewAt: this.now() + expiresIn * 1000 - this.options.leewayMs };
  }
}
