/**
 * Every way authentication can fail, one class each with a stable `code` (tests assert codes).
 *
 * Two layers: the token verifier throws `TokenRejectedError` (no HTTP in it, so it is usable on its
 * own), and the request authenticator turns failures into `HttpProblem`s with the exact status,
 * `detail` and `WWW-Authenticate` header of CONTRACT.md §3. Core's error layer answers them.
 */
import { HttpProblem } from '@m8/core';
import type { AuthFailureReason } from '@m8/core';

/** Why the verifier refused a token (a subset of the `auth.failure` reasons). */
export type TokenRejectionReason = Extract<
  AuthFailureReason,
  'malformed' | 'bad_signature' | 'wrong_algorithm' | 'expired' | 'not_yet_valid' | 'invalid_claims' | 'unknown_key'
>;

/**
 * A token that is not a valid m8 access token. `reason` says why (for logs and metrics, never for
 * the client: every rejection answers the same `Could not validate credentials.`).
 */
export class TokenRejectedError extends Error {
  readonly code = 'ERR_M8_TOKEN_REJECTED';
  constructor(
    readonly reason: TokenRejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/** Invalid-token answers: 401 with the RFC 6750 challenge, or the Python stack's legacy 403 without it. */
export type InvalidTokenStatus = 401 | 403;

const BEARER = { 'WWW-Authenticate': 'Bearer' };
const INVALID_TOKEN = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

/** 401 `Not authenticated`: no `Authorization` header, or a scheme other than Bearer. */
export class NotAuthenticatedError extends HttpProblem {
  constructor() {
    super(401, 'Not authenticated', { code: 'ERR_M8_AUTH_NOT_AUTHENTICATED', headers: BEARER });
    this.name = 'NotAuthenticatedError';
  }
}

/** 401 (or legacy 403) `Could not validate credentials.`: the token was refused; `reason` says why. */
export class InvalidTokenError extends HttpProblem {
  constructor(
    readonly reason: TokenRejectionReason,
    status: InvalidTokenStatus = 401,
  ) {
    super(status, 'Could not validate credentials.', {
      code: 'ERR_M8_AUTH_INVALID_TOKEN',
      headers: status === 401 ? INVALID_TOKEN : {},
    });
    this.name = 'InvalidTokenError';
  }
}

/** 401 (or legacy 403) `Token has been revoked.`: jti-status answered `active: false`. */
export class TokenRevokedError extends HttpProblem {
  constructor(status: InvalidTokenStatus = 401) {
    super(status, 'Token has been revoked.', {
      code: 'ERR_M8_AUTH_TOKEN_REVOKED',
      headers: status === 401 ? INVALID_TOKEN : {},
    });
    this.name = 'TokenRevokedError';
  }
}

/** 503 `Token revocation check unavailable.`: jti-status could not be asked (fail-closed) or answered nonsense. */
export class RevocationUnavailableError extends HttpProblem {
  constructor() {
    super(503, 'Token revocation check unavailable.', { code: 'ERR_M8_AUTH_REVOCATION_UNAVAILABLE' });
    this.name = 'RevocationUnavailableError';
  }
}

/** 403 `Inactive user`: a valid token whose `is_active` is false. */
export class InactiveUserError extends HttpProblem {
  constructor() {
    super(403, 'Inactive user', { code: 'ERR_M8_AUTH_INACTIVE_USER' });
    this.name = 'InactiveUserError';
  }
}

/** 403 `The user doesn't have enough privileges`: role too low, or the superuser flag missing. */
export class InsufficientPrivilegesError extends HttpProblem {
  constructor() {
    super(403, "The user doesn't have enough privileges", { code: 'ERR_M8_AUTH_FORBIDDEN' });
    this.name = 'InsufficientPrivilegesError';
  }
}

/** A programming mistake in how auth is used (unknown role in `@Authorized`, CURRENT_USER outside auth...). */
export class AuthUsageError extends Error {
  readonly code = 'ERR_M8_AUTH_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'AuthUsageError';
  }
}
