/**
 * Keys from a JWKS endpoint (docs/interop.md §1), fetched by one object per service:
 * - keys with `use` other than `sig`, another `alg`, private parts, or a type that does not fit
 *   the algorithm (RSA ≥ 2048 bits for RS256, EC P-256 for ES256) are skipped;
 * - the set is reused for `ttlMs`; once stale it is refreshed in the background while the old
 *   keys keep serving (a request never waits for a refresh it does not need);
 * - an unknown `kid` triggers at most one fetch per `cooldownMs`, and concurrent requests share it;
 *   the fetch made at start (`warm()`) does not count;
 * - a failed fetch (down, HTTP error, junk, no usable key) keeps the last good keys.
 * An unknown `kid` ends as `unknown_key` (401), never as a 500.
 */
import type KyModule from 'ky';
import type { CryptoKey, JWK } from 'jose';
import { JwksError, rejectToken } from './errors';
import { loadJose, type AsymmetricAlgorithm, type KeySource } from './jose-verifier';
import type { AuthTelemetry } from './telemetry';

export interface JwksKeySourceOptions {
  readonly uri: string;
  readonly algorithm: AsymmetricAlgorithm;
  /** How long a fetched set is fresh, in ms (`JWKS_CACHE_TTL_SECONDS` × 1000). */
  readonly ttlMs: number;
  /** Minimum ms between two fetches caused by unknown `kid`s or failures. Default 10 000. */
  readonly cooldownMs: number;
  /** Whole-fetch timeout, in ms. */
  readonly timeoutMs: number;
  readonly telemetry: AuthTelemetry;
  /** Called when a refresh brings a different key set (the verification cache is cleared). */
  readonly onKeysChanged?: () => void;
}

interface KeySet {
  readonly byKid: ReadonlyMap<string, CryptoKey>;
  /** Keys without a `kid` (a token without `kid` is accepted only when the set holds one key). */
  readonly anonymous: readonly CryptoKey[];
  readonly fingerprint: string;
}

const MIN_RSA_MODULUS_BYTES = 256; // 2048 bits

function unknownKey(): never {
  throw rejectToken('unknown_key', 'no key in the JWKS matches the token');
}

/** Whether a JWK may verify `algorithm` signatures (the filter rules of docs/interop.md §1). */
export function fitsAlgorithm(jwk: Record<string, unknown>, algorithm: AsymmetricAlgorithm): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (jwk.alg !== undefined && jwk.alg !== algorithm) return false;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return false;
  if (jwk.d !== undefined) return false; // a private key has no place in a public set
  if (algorithm === 'RS256') {
    return jwk.kty === 'RSA' && typeof jwk.n === 'string' && Buffer.from(jwk.n, 'base64url').length >= MIN_RSA_MODULUS_BYTES;
  }
  return jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.x === 'string' && typeof jwk.y === 'string';
}

async function importKeySet(body: unknown, algorithm: AsymmetricAlgorithm): Promise<KeySet> {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new JwksError('the JWKS has no "keys" array');
  const { importJWK } = loadJose();
  const byKid = new Map<string, CryptoKey>();
  const anonymous: CryptoKey[] = [];
  const prints: string[] = [];
  for (const jwk of keys as Record<string, unknown>[]) {
    if (typeof jwk !== 'object' || jwk === null || !fitsAlgorithm(jwk, algorithm)) continue;
    const material = algorithm === 'RS256' ? { kty: 'RSA', n: jwk.n, e: jwk.e } : { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
    let key: CryptoKey;
    try {
      key = (await importJWK(material as JWK, algorithm)) as CryptoKey;
    } catch {
      continue; // unusable material is skipped like any unfit key
    }
    const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
    if (kid === undefined) anonymous.push(key);
    else byKid.set(kid, key);
    prints.push(JSON.stringify([kid ?? null, material]));
  }
  if (byKid.size === 0 && anonymous.length === 0) throw new JwksError(`the JWKS holds no key usable for ${algorithm}`);
  return { byKid, anonymous, fingerprint: prints.sort().join('\n') };
}

export class JwksKeySource implements KeySource {
  private current: KeySet | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;

  /** Loaded with the first JWKS key source, like jose: a service with a static key never holds it. */
  private readonly ky = (require('ky') as { default: typeof KyModule }).default;

  constructor(private readonly options: JwksKeySourceOptions) {}

  key(kid: string | undefined): CryptoKey | Promise<CryptoKey> {
    const now = Date.now();
    this.refreshIfStale(now);
    const found = this.find(kid);
    if (found !== undefined) return found;
    if (!this.mayFetch(now)) unknownKey();
    return this.refresh().then(() => this.find(kid) ?? unknownKey());
  }

  /** A stale set is refreshed in the background while the keys we have keep serving. */
  refreshIfStale(now: number): void {
    if (this.current !== undefined && now - this.loadedAt >= this.options.ttlMs && this.mayFetch(now)) void this.refresh();
  }

  /** Fetches now unless a fetch is running (then joins it). Never rejects. */
  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * The start-up fetch: like `refresh()`, but it does not use up the cooldown, so a key rotated
   * right after a deploy is fetched (and accepted) on its first token instead of 10 s later.
   */
  async warm(): Promise<void> {
    const started = this.inflight === undefined;
    await this.refresh();
    if (started) this.attemptedAt = Number.NEGATIVE_INFINITY;
  }

  private mayFetch(now: number): boolean {
    return this.inflight !== undefined || now - this.attemptedAt >= this.options.cooldownMs;
  }

  private find(kid: string | undefined): CryptoKey | undefined {
    const set = this.current;
    if (set === undefined) return undefined;
    if (kid !== undefined) return set.byKid.get(kid);
    // No `kid` in the token: acceptable only when the set leaves no choice (as jose does).
    if (set.byKid.size + set.anonymous.length !== 1) return undefined;
    return set.anonymous[0] ?? set.byKid.values().next().value;
  }

  private async load(): Promise<void> {
    this.attemptedAt = Date.now();
    try {
      const response = await this.ky.get(this.options.uri, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
        retry: 0,
        timeout: false, // the signal bounds the whole fetch, body included
        throwHttpErrors: false,
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new JwksError(`the JWKS endpoint answered HTTP ${response.status}`);
      }
      const next = await importKeySet(await response.json(), this.options.algorithm);
      this.loadedAt = Date.now();
      const changed = this.current !== undefined && this.current.fingerprint !== next.fingerprint;
      this.current = next;
      if (changed) this.options.onKeysChanged?.();
    } catch (error) {
      this.options.telemetry.warn(
        { event: 'jwks_fetch_failed', error: error instanceof Error ? error.message : String(error), keptKeys: this.current !== undefined },
        'JWKS fetch failed; keeping the last good keys',
      );
    }
  }
}
