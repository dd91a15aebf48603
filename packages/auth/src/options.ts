/**
 * Tuning knobs of `buildAuthDeps` that are not environment settings: one defaults object, one
 * validation pass reporting every problem, then frozen. Tests shorten the timeouts here.
 */
import { ProblemsError } from '@m8/core';

export interface AuthOptions {
  /** Verified tokens kept for reuse (exact-token cache). Default 10 000; 0 turns it off. */
  readonly verificationCacheSize?: number;
  /** Minimum ms between two JWKS fetches caused by unknown `kid`s or failures. Default 10 000. */
  readonly jwksCooldownMs?: number;
  /** Timeout of one JWKS fetch, in ms. Default 3 000. */
  readonly jwksTimeoutMs?: number;
  /** TCP connect timeout of the jti-status call, in ms. Default 2 000 (docs/interop.md §4). */
  readonly revocationConnectTimeoutMs?: number;
  /** Whole jti-status call timeout (headers and body), in ms. Default 3 000 (docs/interop.md §4). */
  readonly revocationTimeoutMs?: number;
  /** Most jtis kept by the positive revocation cache. Default 10 000. */
  readonly revocationCacheSize?: number;
  /**
   * A stateful consumer asks the issuer once at start whether its jti-status endpoint answers, and
   * logs a warning when it does not. Default true; tests that count the issuer's calls turn it off.
   */
  readonly probeIssuerAtStart?: boolean;
}

export type ResolvedAuthOptions = Required<AuthOptions>;

export const AUTH_DEFAULTS: ResolvedAuthOptions = Object.freeze({
  verificationCacheSize: 10_000,
  jwksCooldownMs: 10_000,
  jwksTimeoutMs: 3_000,
  revocationConnectTimeoutMs: 2_000,
  revocationTimeoutMs: 3_000,
  revocationCacheSize: 10_000,
  probeIssuerAtStart: true,
});

/** Wrong `buildAuthDeps` input (options or settings that cannot work); lists every problem. */
export class AuthConfigError extends ProblemsError<string> {
  static override readonly code = 'ERR_M8_AUTH_CONFIG';
  override readonly code = AuthConfigError.code;
  constructor(problems: readonly string[]) {
    super('@m8/auth configuration', problems, (p) => p);
  }
}

const MINIMUMS: Readonly<Record<Exclude<keyof ResolvedAuthOptions, 'probeIssuerAtStart'>, number>> = {
  verificationCacheSize: 0,
  jwksCooldownMs: 0,
  jwksTimeoutMs: 1,
  revocationConnectTimeoutMs: 1,
  revocationTimeoutMs: 1,
  revocationCacheSize: 1,
};

/** Defaults applied, every value checked (integer ≥ its minimum), result frozen. */
export function resolveAuthOptions(options: AuthOptions = {}): ResolvedAuthOptions {
  const resolved = { ...AUTH_DEFAULTS, ...stripUndefined(options) };
  const problems: string[] = [];
  if (typeof resolved.probeIssuerAtStart !== 'boolean') problems.push(`options.probeIssuerAtStart must be a boolean (got ${String(resolved.probeIssuerAtStart)})`);
  for (const [name, minimum] of Object.entries(MINIMUMS) as [Exclude<keyof ResolvedAuthOptions, 'probeIssuerAtStart'>, number][]) {
    const value = resolved[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
      problems.push(`options.${name} must be an integer ≥ ${minimum} (got ${String(value)})`);
    }
  }
  if (problems.length > 0) throw new AuthConfigError(problems);
  return Object.freeze(resolved);
}

function stripUndefined(options: AuthOptions): AuthOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as AuthOptions;
}
