/**
 * Token string → `UserModel`: the verification cache, then the signature, then the claims.
 * Synchronous when it can be (cache hit, HS256), so a repeated token costs no promise at all.
 */
import { isExpired, validateClaims, type ClaimsPolicy } from './claims';
import { rejectToken } from './errors';
import type { SignatureVerifier } from './signature-verifier';
import type { UserModel } from './user-model';
import { VerificationCache } from './verification-cache';

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export class TokenVerifier {
  private readonly cache: VerificationCache;
  /** Bumped by `clearCache()`: a verification that started before a key change is not cached after it. */
  private generation = 0;

  constructor(
    private readonly signature: SignatureVerifier,
    private readonly policy: ClaimsPolicy,
    cacheSize: number,
  ) {
    this.cache = new VerificationCache(cacheSize);
  }

  /** Verifies `token` and returns its user, or throws `TokenRejectedError` (sync or as a rejection). */
  verify(token: string): UserModel | Promise<UserModel> {
    const cached = this.cache.get(token);
    if (cached !== undefined) {
      const nowMs = Date.now();
      this.signature.refreshIfStale?.(nowMs);
      // Verified before, but time moved on: the expiry is checked again on every hit.
      if (!isExpired(cached.exp, Math.floor(nowMs / 1000), this.policy.leewaySeconds)) return cached;
      this.cache.delete(token);
      throw rejectToken('expired', '"exp" is in the past');
    }
    const generation = this.generation;
    const payload = this.signature.verify(token);
    if (payload instanceof Promise) return payload.then((verified) => this.accept(token, verified, generation));
    return this.accept(token, payload, generation);
  }

  /** Forgets every verified token (the key set changed). */
  clearCache(): void {
    this.generation += 1;
    this.cache.clear();
  }

  /** Tokens currently cached (for tests and diagnostics). */
  get cacheSize(): number {
    return this.cache.size;
  }

  private accept(token: string, payload: Record<string, unknown>, generation: number): UserModel {
    const user = validateClaims(payload, nowSeconds(), this.policy);
    if (generation === this.generation) this.cache.offer(token, user);
    return user;
  }
}
