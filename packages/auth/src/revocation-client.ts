/**
 * The jti-status client of a stateful consumer (docs/interop.md §4), on ky over a dedicated undici
 * agent (that is where the connect timeout lives, and what `close()` closes):
 * - `POST {INTROSPECTION_URL}` with the headers of the client identity (`client-identity.ts`), body
 *   `{"jti"}` or the v2 shape; no redirects followed, connect 2 s, whole call 3 s; no retries, but
 *   for one: a 401 to a service token re-exchanges it once and retries once;
 * - an identity that cannot be had (the service-token exchange failed) → unverifiable in every
 *   mode: the issuer was not asked, so nothing may pass for "not revoked";
 * - `{"active": true}` → active, `{"active": false}` → revoked, a malformed 2xx → unverifiable in
 *   every mode, a transport failure or non-2xx → unverifiable (fail_closed) or allowed (fail_open);
 * - concurrent checks of one jti share one call; the optional positive cache is bounded and never
 *   outlives the token's `exp`.
 */
import { randomUUID } from 'node:crypto';
import type { KyInstance } from 'ky';
import type { Agent } from 'undici';
import type { RevocationFailureMode, RevocationResult } from '@m8/core';
import type { ClientIdentity, IdentityHeaders } from './client-identity';
import type { AuthTelemetry } from './telemetry';
import type { UserModel } from './user-model';

export interface RevocationClientOptions {
  readonly url: string;
  /** Who the service says it is on each call (legacy, bootstrap or service token). */
  readonly identity: ClientIdentity;
  readonly schemaVersion: '1' | '2';
  readonly failureMode: RevocationFailureMode;
  /** Positive cache lifetime in ms; 0 = off. */
  readonly cacheTtlMs: number;
  /** Most jtis kept in the positive cache. */
  readonly cacheSize: number;
  /** TCP connect timeout, in ms (contract: 2000). */
  readonly connectTimeoutMs: number;
  /** Whole call timeout, headers and body, in ms (contract: 3000). */
  readonly timeoutMs: number;
  readonly telemetry: AuthTelemetry;
}

/** How the issuer's answer reads before the failure mode is applied. */
type Verdict = 'active' | 'revoked' | 'malformed' | 'unavailable' | 'no_identity';

/** What the jti-status call is about: the token's `jti` and, for the v2 shape, its user. */
type CheckedToken = Pick<UserModel, 'jti' | 'sub'>;

/**
 * `answers` when the issuer gave a well-formed verdict; otherwise why not: `unavailable` (refused,
 * timed out, non-2xx), `malformed` (a 2xx without a usable `active`), `no_identity` (the
 * service-token exchange failed).
 */
export type IssuerProbe = 'answers' | Exclude<Verdict, 'active' | 'revoked'>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class RevocationClient {
  private readonly http: KyInstance;
  private readonly agent: Agent;
  private readonly inflight = new Map<string, Promise<RevocationResult>>();
  /** jti → ms until which `active: true` may be reused. */
  private readonly cache = new Map<string, number>();

  constructor(private readonly options: RevocationClientOptions) {
    // Loaded here rather than at import: a stateless service never builds this client, and ky and
    // undici are ≈ 10 MB of its idle memory (bench/README.md, "Start-up and memory").
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Agent: UndiciAgent } = require('undici') as typeof import('undici');
    const ky = (require('ky') as typeof import('ky')).default;
    /* eslint-enable @typescript-eslint/no-require-imports */
    this.agent = new UndiciAgent({
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    this.http = ky.create({
      headers: { accept: 'application/json' },
      retry: 0,
      timeout: false, // our own signal bounds the whole call, body included
      throwHttpErrors: false,
      redirect: 'manual',
      // ky hands options it does not know to fetch: the agent carries the connect timeout.
      ...({ dispatcher: this.agent } as object),
    });
  }

  /**
   * `active`, `revoked`, `unverifiable` (answer 503) or `fail_open` (allowed, logged). Synchronous
   * on a positive-cache hit.
   */
  check(user: UserModel): RevocationResult | Promise<RevocationResult> {
    const key = this.options.schemaVersion === '2' ? `${user.jti}\n${user.sub}` : user.jti;
    if (this.options.cacheTtlMs > 0) {
      const until = this.cache.get(key);
      if (until !== undefined && until > Date.now()) {
        this.options.telemetry.revocationCache(true);
        return 'active';
      }
      if (until !== undefined) this.cache.delete(key);
      this.options.telemetry.revocationCache(false);
    }
    let pending = this.inflight.get(key);
    if (pending === undefined) {
      pending = this.ask(user, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /**
   * Asks the issuer about a jti no token carries, to learn whether it answers at all (the start-up
   * warning and the issuer health check). Neither cached nor counted as a revocation check.
   */
  async probe(): Promise<IssuerProbe> {
    const verdict = await this.call({ jti: `m8-probe-${randomUUID()}`, sub: randomUUID() });
    return verdict === 'active' || verdict === 'revoked' ? 'answers' : verdict;
  }

  /** Closes the agent's connections (and the identity's) and forgets cached answers. */
  async close(): Promise<void> {
    this.cache.clear();
    await Promise.all([this.agent.close(), this.options.identity.close()]);
  }

  private async ask(user: UserModel, key: string): Promise<RevocationResult> {
    const started = performance.now();
    const verdict = await this.call(user);
    const result = this.resultOf(verdict);
    if (result === 'active') this.remember(key, user.exp);
    this.options.telemetry.revocation(result, (performance.now() - started) / 1000);
    if (verdict !== 'active' && verdict !== 'revoked') {
      this.options.telemetry.warn({ event: 'revocation_unverifiable', verdict, result }, 'token revocation check could not be verified');
    }
    return result;
  }

  private resultOf(verdict: Verdict): RevocationResult {
    if (verdict === 'active' || verdict === 'revoked') return verdict;
    // A 2xx that says nothing usable is never accepted; only a failure to ask may fail open.
    if (verdict === 'unavailable' && this.options.failureMode === 'fail_open') return 'fail_open';
    return 'unverifiable';
  }

  private remember(key: string, exp: number): void {
    const { cacheTtlMs, cacheSize } = this.options;
    if (cacheTtlMs === 0) return;
    const until = Math.min(Date.now() + cacheTtlMs, exp * 1000);
    if (until <= Date.now()) return;
    if (this.cache.size >= cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, until);
  }

  private body(user: CheckedToken): Record<string, string> {
    if (this.options.schemaVersion === '2') return { jti: user.jti, expected_user_id: user.sub, schema_version: '2' };
    return { jti: user.jti };
  }

  private async call(user: CheckedToken): Promise<Verdict> {
    const { identity, timeoutMs } = this.options;
    let headers: IdentityHeaders;
    try {
      headers = await identity.headers();
    } catch {
      return 'no_identity'; // logged and counted by the identity
    }
    const signal = AbortSignal.timeout(timeoutMs); // one budget for the call and its retry
    let text: string;
    try {
      let response = await this.http.post(this.options.url, { json: this.body(user), headers, signal });
      if (response.status === 401) {
        const renewed = await this.renewAfter401(headers);
        if (renewed !== undefined) {
          await response.body?.cancel().catch(() => undefined);
          if (renewed === 'no_identity') return renewed;
          response = await this.http.post(this.options.url, { json: this.body(user), headers: renewed, signal });
        }
      }
      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel().catch(() => undefined);
        return 'unavailable';
      }
      text = await response.text();
    } catch {
      return 'unavailable'; // refused, reset, timed out, aborted mid-body
    }
    return this.read(text, user);
  }

  /** New headers after a 401 (the service token re-exchanged once), or undefined when none can help. */
  private async renewAfter401(used: IdentityHeaders): Promise<IdentityHeaders | 'no_identity' | undefined> {
    try {
      return await this.options.identity.renew(used);
    } catch {
      return 'no_identity';
    }
  }

  private read(text: string, user: CheckedToken): Verdict {
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      return 'malformed';
    }
    if (!isObject(reply) || typeof reply.active !== 'boolean') return 'malformed';
    if (this.options.schemaVersion === '2') {
      if (reply.schema_version !== '2') return 'malformed';
      if (reply.active && reply.user_id !== user.sub) return 'malformed';
    }
    return reply.active ? 'active' : 'revoked';
  }
}
