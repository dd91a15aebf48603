/**
 * Every way authentication can fail, one class each with a stable `code` (tests assert codes).
 *
 * Two layers: the token verifier throws `TokenRejectedError` (no HTTP in it, so it is usable on its
 * own), and the request authenticator turns failures into `HttpProblem`s with the exact status,
 * `detail` and `WWW-Authenticate` header docs/interop.md gives. Core's error layer answers them.
 */
import { HttpProblem, M8Error } from '@m8/core';
import type { AuthFailureReason } from '@m8/core';

/** Why the verifier refused a token (a subset of the `auth.failure` reasons). */
export type TokenRejectionReason = Extract<
  AuthFailureReason,
  'malformed' | 'bad_signature' | 'wrong_algorithm' | 'expired' | 'not_yet_valid' | 'invalid_claims' | 'unknown_key'
>;

/**
 * A token that is not a valid m8 access token: one subclass (and code) per reason, as jose does.
 * `reason` says why, for logs and metrics, never for the client: every rejection answers the same
 * `Could not validate credentials.`. Build one with `rejectToken(reason, message)`.
 */
export abstract class TokenRejectedError extends M8Error {
  abstract readonly reason: TokenRejectionReason;

  /**
   * The claim (or header parameter) at fault, for the debug log line; undefined when no single one
   * is. Claim failures word their message `"<claim>" ...` (claims.ts), which is where it is read from.
   */
  get claim(): string | undefined {
    return /^"([A-Za-z_][A-Za-z0-9_]*)"/.exec(this.message)?.[1];
  }
}

/** Not three base64url parts, not JSON, too long, or an empty bearer token. */
export class TokenMalformedError extends TokenRejectedError {
  static override readonly code = 'ERR_M8_JWT_MALFORMED';
  override readonly code = TokenMalformedError.code;
  readonly reason = 'malformed' as const;
}

/** The signature does not verify with the key. */
export class TokenSignatureError extends TokenRejectedError {
  static override readonly code = 'ERR_M8_JWT_SIGNATURE_INVALID';
  override readonly code = TokenSignatureError.code;
  readonly reason = 'bad_signature' as const;
}

/** The header's `alg` is not `ACCESS_TOKEN_ALGORITHM`. */
export class TokenAlgorithmError extends TokenRejectedError {
  static override readonly code = 'ERR_M8_JWT_ALGORITHM_NOT_ALLOWED';
  override readonly code = TokenAlgorithmError.code;
  readonly reason = 'wrong_algorithm' as const;
}

/** `exp` is in the past (beyond the leeway). */
export class TokenExpiredError extends TokenRejectedError {
  static override readonly code = 'ERR_M8_JWT_EXPIRED';
  override readonly code = TokenExpiredError.code;
  readonly reason = 'expired' as const;
}

/** `nbf` or `iat` is in the future (beyond the leeway). */
export class TokenNotYetValidError extends TokenRejectedError {
  static override readonly code = 'ERR_M8_JWT_NOT_YET_VALID';
  override readonly code = TokenNotYetValidError.code;
  readonly reason = 'not_yet_valid' as const;
}

/** A claim is missing or wrong (`type`, `sub`, `role`, `iss`, `aud`...). */
export class TokenClaimError extends TokenRejectedError {
  static override readonly code = 'ERR_M8_JWT_CLAIM_INVALID';
  override readonly code = TokenClaimError.code;
  readonly reason = 'invalid_claims' as const;
}

/** No key of the JWKS matches the token's `kid`. */
export class TokenKeyNotFoundError extends TokenRejectedError {
  static override readonly code = 'ERR_M8_JWKS_NO_MATCHING_KEY';
  override readonly code = TokenKeyNotFoundError.code;
  readonly reason = 'unknown_key' as const;
}

const REJECTIONS: Readonly<Record<TokenRejectionReason, new (message: string) => TokenRejectedError>> = Object.freeze({
  malformed: TokenMalformedError,
  bad_signature: TokenSignatureError,
  wrong_algorithm: TokenAlgorithmError,
  expired: TokenExpiredError,
  not_yet_valid: TokenNotYetValidError,
  invalid_claims: TokenClaimError,
  unknown_key: TokenKeyNotFoundError,
});

/** The rejection error of `reason`. */
export function rejectToken(reason: TokenRejectionReason, message: string): TokenRejectedError {
  return new REJECTIONS[reason](message);
}

/** Invalid-token answers: 401 with the RFC 6750 challenge, or the Python stack's legacy 403 without it. */
export type InvalidTokenStatus = 401 | 403;

const BEARER = { 'WWW-Authenticate': 'Bearer' };
const INVALID_TOKEN = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

/** 401 `Not authenticated`: no `Authorization` header, or a scheme other than Bearer. */
export class NotAuthenticatedError extends HttpProblem {
  static override readonly code = 'ERR_M8_AUTH_NOT_AUTHENTICATED';
  constructor() {
    super(401, 'Not authenticated', { headers: BEARER });
  }
}

/** 401 (or legacy 403) `Could not validate credentials.`: the token was refused; `reason` says why. */
export class InvalidTokenError extends HttpProblem {
  static override readonly code = 'ERR_M8_AUTH_INVALID_TOKEN';
  constructor(
    readonly reason: TokenRejectionReason,
    status: InvalidTokenStatus = 401,
  ) {
    super(status, 'Could not validate credentials.', {
      headers: status === 401 ? INVALID_TOKEN : {},
    });
  }
}

/** 401 (or legacy 403) `Token has been revoked.`: jti-status answered `active: false`. */
export class TokenRevokedError extends HttpProblem {
  static override readonly code = 'ERR_M8_AUTH_TOKEN_REVOKED';
  constructor(status: InvalidTokenStatus = 401) {
    super(status, 'Token has been revoked.', {
      headers: status === 401 ? INVALID_TOKEN : {},
    });
  }
}

/** 503 `Token revocation check unavailable.`: jti-status could not be asked (fail-closed) or answered nonsense. */
export class RevocationUnavailableError extends HttpProblem {
  static override readonly code = 'ERR_M8_AUTH_REVOCATION_UNAVAILABLE';
  constructor() {
    super(503, 'Token revocation check unavailable.');
  }
}

/** 403 `Inactive user`: a valid token whose `is_active` is false. */
export class InactiveUserError extends HttpProblem {
  static override readonly code = 'ERR_M8_AUTH_INACTIVE_USER';
  constructor() {
    super(403, 'Inactive user');
  }
}

/** 403 `The user doesn't have enough privileges`: role too low, or the superuser flag missing. */
export class InsufficientPrivilegesError extends HttpProblem {
  static override readonly code = 'ERR_M8_AUTH_FORBIDDEN';
  constructor() {
    super(403, "The user doesn't have enough privileges");
  }
}

/** A programming mistake in how auth is used (unknown role in `@Authorized`, CURRENT_USER outside auth...). */
export class AuthUsageError extends M8Error {
  static override readonly code = 'ERR_M8_AUTH_USAGE';
  override readonly code = AuthUsageError.code;
}

/** The JWKS endpoint answered, but not with a usable key set (logged; the last good keys stay). */
export class JwksError extends M8Error {
  static override readonly code = 'ERR_M8_JWKS_INVALID';
  override readonly code = JwksError.code;
}

/**
 * The service-token exchange failed (refused, unreachable, or an answer without a usable token):
 * the private call it was for cannot be made, and is unverifiable.
 */
export class ServiceTokenError extends M8Error {
  static override readonly code = 'ERR_M8_SERVICE_TOKEN';
  override readonly code = ServiceTokenError.code;
  constructor(readonly reason: string) {
    super(`the service-token exchange failed: ${reason}`);
  }
}

/** Every code @m8/auth's errors carry (see packages/auth/README.md). */
export type AuthErrorCode =
  | 'ERR_M8_JWT_MALFORMED'
  | 'ERR_M8_JWT_SIGNATURE_INVALID'
  | 'ERR_M8_JWT_ALGORITHM_NOT_ALLOWED'
  | 'ERR_M8_JWT_EXPIRED'
  | 'ERR_M8_JWT_NOT_YET_VALID'
  | 'ERR_M8_JWT_CLAIM_INVALID'
  | 'ERR_M8_JWKS_NO_MATCHING_KEY'
  | 'ERR_M8_JWKS_INVALID'
  | 'ERR_M8_AUTH_NOT_AUTHENTICATED'
  | 'ERR_M8_AUTH_INVALID_TOKEN'
  | 'ERR_M8_AUTH_TOKEN_REVOKED'
  | 'ERR_M8_AUTH_REVOCATION_UNAVAILABLE'
  | 'ERR_M8_AUTH_INACTIVE_USER'
  | 'ERR_M8_AUTH_FORBIDDEN'
  | 'ERR_M8_AUTH_USAGE'
  | 'ERR_M8_AUTH_CONFIG'
  | 'ERR_M8_SERVICE_TOKEN';
