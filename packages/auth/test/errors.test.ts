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
  TokenRejectedError,
  TokenRevokedError,
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
  it('TokenRejectedError carries its reason and message', () => {
    const error = new TokenRejectedError('expired', '"exp" is in the past');
    expect({ name: error.name, code: error.code, reason: error.reason, message: error.message }).toEqual({
      name: 'TokenRejectedError',
      code: 'ERR_M8_TOKEN_REJECTED',
      reason: 'expired',
      message: '"exp" is in the past',
    });
    expect(error).toBeInstanceOf(Error);
  });

  it('AuthUsageError and AuthConfigError', () => {
    const usage = new AuthUsageError('no such role');
    expect({ name: usage.name, code: usage.code, message: usage.message }).toEqual({ name: 'AuthUsageError', code: 'ERR_M8_AUTH_USAGE', message: 'no such role' });
    const config = new AuthConfigError(['options.jwksTimeoutMs must be an integer ≥ 1 (got 0)']);
    expect({ name: config.name, code: config.code }).toEqual({ name: 'AuthConfigError', code: 'ERR_M8_AUTH_CONFIG' });
    expect(config.message).toContain('options.jwksTimeoutMs must be an integer ≥ 1 (got 0)');
  });
});
