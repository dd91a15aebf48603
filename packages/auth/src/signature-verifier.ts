/** The seam between "is this signature good" and everything else (claims, cache, HTTP). */

/**
 * Checks a compact JWS's header and signature and returns its decoded payload (not yet validated
 * as claims). Throws `TokenRejectedError` only. Sync where it can be (HS256), async otherwise.
 */
export interface SignatureVerifier {
  verify(token: string): Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * Called on verification-cache hits, which never reach `verify`: a key set with a lifetime
   * (JWKS) starts its background refresh here, so a key removed upstream stops validating
   * cached tokens too (the refresh clears the cache when the set changed).
   */
  refreshIfStale?(nowMs: number): void;
}
