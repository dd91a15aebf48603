/**
 * A stateful consumer asks its issuer once at start whether the jti-status endpoint answers: when it
 * does not, the start logs one warning saying what will happen to requests, and the issuer health
 * check (for @m8/health) says `degraded` with the reason. The probe is never taken for a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IssuerAnswers, startFakeIssuer, type FakeIssuer } from '@m8/testing';
import { GuardController } from './helpers/controllers';
import { startTestApp, type TestApp } from './helpers/app';
import { freePort } from '../../../test/support/ports';

const SECRET = 'shared-internal-secret-for-the-probe-tests';

const stateful = (url: string, values: Record<string, unknown> = {}): Promise<TestApp> =>
  startTestApp([GuardController], { TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'consumer', INTROSPECTION_URL: url, PRIVATE_API_SECRET: SECRET, ...values }, { probeIssuerAtStart: true });

const warnings = (t: TestApp) => t.logs.filter((line) => line.event === 'issuer_unreachable');

describe('the issuer probe', () => {
  let issuer: FakeIssuer;
  beforeAll(async () => {
    issuer = await startFakeIssuer({ secret: SECRET });
  });
  afterAll(() => issuer.close());

  it('is off when asked: no call at start', async () => {
    issuer.reset();
    const t = await startTestApp([GuardController], { TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'consumer', INTROSPECTION_URL: issuer.url, PRIVATE_API_SECRET: SECRET });
    try {
      expect(issuer.calls).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('an issuer that answers: no warning, the health check is ok, and the probe carried a jti no token has', async () => {
    issuer.reset();
    const t = await stateful(issuer.url);
    try {
      expect(warnings(t)).toEqual([]);
      expect(issuer.requests.map((r) => (r.body as { jti: string }).jti)).toEqual([expect.stringMatching(/^m8-probe-[0-9a-f-]{36}$/)]);
      expect(await t.auth.asHealthCheck().check()).toEqual({ status: 'ok', ok: true, error: null, meta: { revocationChecks: true } });
    } finally {
      await t.close();
    }
  });

  it('nothing listening: one warning at start that requests will answer 503, and a degraded health check', async () => {
    const url = `http://127.0.0.1:${await freePort()}/api/v1/internal/jti-status`;
    const t = await stateful(url);
    try {
      expect(warnings(t)).toEqual([
        expect.objectContaining({
          level: 'warn',
          url,
          probe: 'unavailable',
          msg: "the issuer's jti-status endpoint (INTROSPECTION_URL) does not answer (refused, timed out or not 2xx): requests with a token will answer 503 until it does",
        }),
      ]);
      const check = t.auth.asHealthCheck('issuer');
      expect(check.name).toBe('issuer');
      expect(await check.check()).toEqual({
        status: 'degraded',
        ok: false,
        error: 'INTROSPECTION_URL does not answer (refused, timed out or not 2xx)',
        meta: { revocationChecks: true, failureMode: 'fail_closed' },
      });
    } finally {
      await t.close();
    }
  });

  it('fail_open: the warning says tokens are admitted unchecked', async () => {
    const url = `http://127.0.0.1:${await freePort()}/api/v1/internal/jti-status`;
    const t = await stateful(url, { ACCESS_REVOCATION_FAILURE_MODE: 'fail_open' });
    try {
      expect(warnings(t).map((line) => line.msg)).toEqual([
        "the issuer's jti-status endpoint (INTROSPECTION_URL) does not answer (refused, timed out or not 2xx): requests with a token are admitted unchecked (fail_open) until it does",
      ]);
    } finally {
      await t.close();
    }
  });

  it('a 2xx without a usable `active` is reported as such', async () => {
    issuer.script(IssuerAnswers.missingActive());
    const t = await stateful(issuer.url);
    try {
      expect(warnings(t).map((line) => line.probe)).toEqual(['malformed']);
      expect((await t.auth.asHealthCheck().check()).error).toBe('INTROSPECTION_URL answered without a usable `active`');
    } finally {
      issuer.script(undefined);
      await t.close();
    }
  });

  it('a stateless consumer asks nothing and its check says revocation is not checked', async () => {
    issuer.reset();
    const t = await startTestApp([GuardController], {}, { probeIssuerAtStart: true });
    try {
      expect(warnings(t)).toEqual([]);
      expect(issuer.calls).toBe(0);
      expect(await t.auth.asHealthCheck().check()).toEqual({ status: 'ok', ok: true, error: null, meta: { revocationChecks: false } });
    } finally {
      await t.close();
    }
  });
});
