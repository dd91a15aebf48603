/** Every auth error class: its stable code, name, status, detail and headers, as callers and logs rely on them. */
import { describe, expect, it } from 'vitest';
import { HttpProblem } from '@m8/core';
import {
  AuthConfigError,
  AuthUsageError,
  InactiveUserError,
  InsufficientPrivilegesError,
  InvalidTokenError,
  NotAuthenticatedError,
  RevocationUnavailableError,
  TokenAlgorithmError,
  TokenClaimError,
  TokenExpiredError,
  TokenKeyNotFoundError,
  TokenMalformedError,
  TokenNotYetValidError,
  TokenRejectedError,
  TokenRevokedError,
  TokenSignatureError,
} from '@m8/auth';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer error="invalid_token"' };

describe('HTTP answers', () => {
  it.each<[string, HttpProblem, { name: string; code: string; status: number; detail: string; headers: Record<string, string> }]>([
    ['NotAuthenticatedError', new NotAuthenticatedError(), { name: 'NotAuthenticatedError', code: 'ERR_M8_AUTH_NOT_AUTHENTICATED', status: 401, detail: 'Not authenticated', headers: { 'WWW-Authenticate': 'Bearer' } }],
    ['InvalidTokenError', new InvalidTokenError('expired'), { name: 'InvalidTokenError', code: 'ERR_M8_AUTH_INVALID_TOKEN', status: 401, detail: 'Could not validate credentials.', headers: CHALLENGE }],
    ['InvalidTokenError (legacy 403)', new InvalidTokenError('expired', 403), { name: 'InvalidTokenError', code: 'ERR_M8_AUTH_INVALID_TOKEN', status: 403, detail: 'Could not validate credentials.', headers: {} }],
    ['TokenRevokedError', new TokenRevokedError(), { name: 'TokenRevokedError', code: 'ERR_M8_AUTH_TOKEN_REVOKED', status: 401, detail: 'Token has been revoked.', headers: CHALLENGE }],
    ['TokenRevokedError (legacy 403)', new TokenRevokedError(403), { name: 'TokenRevokedError', code: 'ERR_M8_AUTH_TOKEN_REVOKED', status: 403, detail: 'Token has been revoked.', headers: {} }],
    ['RevocationUnavailableError', new RevocationUnavailableError(), { name: 'RevocationUnavailableError', code: 'ERR_M8_AUTH_REVOCATION_UNAVAILABLE', status: 503, detail: 'Token revocation check unavailable.', headers: {} }],
    ['InactiveUserError', new InactiveUserError(), { name: 'InactiveUserError', code: 'ERR_M8_AUTH_INACTIVE_USER', status: 403, detail: 'Inactive user', headers: {} }],
    ['InsufficientPrivilegesError', new InsufficientPrivilegesError(), { name: 'InsufficientPrivilegesError', code: 'ERR_M8_AUTH_FORBIDDEN', status: 403, detail: "The user doesn't have enough privileges", headers: {} }],
  ])('%s', (_, error, expected) => {
    expect(error).toBeInstanceOf(HttpProblem);
    expect({ name: error.name, code: error.code, status: error.status, detail: error.detail, headers: { ...error.headers } }).toEqual(expected);
  });

  it('InvalidTokenError keeps the verifier reason for logs, never in the answer', () => {
    const error = new InvalidTokenError('bad_signature');
    expect(error.reason).toBe('bad_signature');
    expect(JSON.stringify(error.detail)).not.toContain('bad_signature');
  });
});

describe('errors that are not answers', () => {
  it.each([
    [TokenMalformedError, 'malformed', 'ERR_M8_JWT_MALFORMED'],
    [TokenSignatureError, 'bad_signature', 'ERR_M8_JWT_SIGNATURE_INVALID'],
    [TokenAlgorithmError, 'wrong_algorithm', 'ERR_M8_JWT_ALGORITHM_NOT_ALLOWED'],
    [TokenExpiredError, 'expired', 'ERR_M8_JWT_EXPIRED'],
    [TokenNotYetValidError, 'not_yet_valid', 'ERR_M8_JWT_NOT_YET_VALID'],
    [TokenClaimError, 'invalid_claims', 'ERR_M8_JWT_CLAIM_INVALID'],
    [TokenKeyNotFoundError, 'unknown_key', 'ERR_M8_JWKS_NO_MATCHING_KEY'],
  ])('%o: a TokenRejectedError with its reason, code and name', (Rejection, reason, code) => {
    const error = new Rejection('why');
    expect(error).toBeInstanceOf(TokenRejectedError);
    expect({ name: error.name, code: error.code, reason: error.reason, message: error.message }).toEqual({ name: Rejection.name, code, reason, message: 'why' });
  });

  it('AuthUsageError and AuthConfigError', () => {
    const usage = new AuthUsageError('no such role');
    expect({ name: usage.name, code: usage.code, message: usage.message }).toEqual({ name: 'AuthUsageError', code: 'ERR_M8_AUTH_USAGE', message: 'no such role' });
    const config = new AuthConfigError(['options.jwksTimeoutMs must be an integer ≥ 1 (got 0)']);
    expect({ name: config.name, code: config.code }).toEqual({ name: 'AuthConfigError', code: 'ERR_M8_AUTH_CONFIG' });
    expect(config.message).toContain('options.jwksTimeoutMs must be an integer ≥ 1 (got 0)');
  });
});
