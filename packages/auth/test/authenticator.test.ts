/**
 * The request authenticator's verdict on each revocation result: deny by default. Only `active` (or the client's
 * own `fail_open`) admits; a result it does not know is unverifiable (503), never a pass.
 */
import { describe, expect, it } from 'vitest';
import { AppEvents, HttpProblem, type RevocationResult } from '@m8/core';
import { RequestAuthenticator } from '../src/authenticator';
import { AuthTelemetry } from '../src/telemetry';
import type { RevocationClient } from '../src/revocation-client';
import type { TokenVerifier } from '../src/token-verifier';
import type { UserModel } from '../src/user-model';

const user = (isActive = true): UserModel =>
  Object.freeze({
    id: '11111111-1111-4111-8111-111111111111',
    sub: '11111111-1111-4111-8111-111111111111',
    email: 'ada@example.com',
    fullName: null,
    avatar: null,
    isActive,
    emailVerified: true,
    isSuperuser: false,
    role: 'user',
    tenantId: null,
    jti: 'jti-1',
    exp: 4_102_444_800,
  }) as UserModel;

/** An authenticator whose verifier admits the token and whose revocation client answers `result`. */
function authenticator(result: unknown, options: { async?: boolean; active?: boolean } = {}) {
  const events = new AppEvents();
  const failures: unknown[] = [];
  events.on('auth.failure', (event) => void failures.push(event.reason));
  const telemetry = new AuthTelemetry();
  telemetry.attach(events, { warn: () => undefined, debug: () => undefined } as never);
  const verifier = { verify: () => user(options.active ?? true) } as unknown as TokenVerifier;
  const revocation = { check: () => (options.async ? Promise.resolve(result) : result) } as unknown as RevocationClient;
  return { auth: new RequestAuthenticator(verifier, revocation, 401, telemetry), failures };
}

const request = () => ({ headers: { authorization: 'Bearer a.b.c' }, state: {} });

async function outcome(result: unknown, options: { async?: boolean; active?: boolean } = {}): Promise<{ status: number; code: string | undefined; failures: unknown[] } | UserModel> {
  const { auth, failures } = authenticator(result, options);
  try {
    return await auth.authenticate(request());
  } catch (error) {
    if (!HttpProblem.is(error)) throw error;
    return { status: error.status, code: (error as HttpProblem & { code?: string }).code, failures };
  }
}

describe('RequestAuthenticator and the revocation result', () => {
  for (const async of [false, true]) {
    const mode = async ? 'asynchronous' : 'synchronous';

    it(`admits on an explicit active (${mode})`, async () => {
      await expect(outcome('active' satisfies RevocationResult, { async })).resolves.toMatchObject({ email: 'ada@example.com' });
    });

    it(`admits on fail_open, the client's configured verdict (${mode})`, async () => {
      await expect(outcome('fail_open' satisfies RevocationResult, { async })).resolves.toMatchObject({ email: 'ada@example.com' });
    });

    it(`answers 401 revoked on revoked (${mode})`, async () => {
      await expect(outcome('revoked' satisfies RevocationResult, { async })).resolves.toEqual({ status: 401, code: 'ERR_M8_AUTH_TOKEN_REVOKED', failures: ['revoked'] });
    });

    it.each(['unverifiable', '', 'ACTIVE', 'inactive', 'fail_closed', true])(`answers 503 on %j: anything but an explicit admission is unverifiable (${mode})`, async (result) => {
      await expect(outcome(result, { async })).resolves.toEqual({ status: 503, code: 'ERR_M8_AUTH_REVOCATION_UNAVAILABLE', failures: ['revocation_unavailable'] });
    });

    it(`still refuses an inactive user after an active result (${mode})`, async () => {
      await expect(outcome('active', { async, active: false })).resolves.toEqual({ status: 403, code: 'ERR_M8_AUTH_INACTIVE_USER', failures: ['inactive'] });
    });
  }
});
