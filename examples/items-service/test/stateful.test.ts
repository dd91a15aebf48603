/** The example as a stateful consumer: every token is checked against the issuer's jti-status endpoint. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { M8App } from '@m8/core';
import { IssuerAnswers, startFakeIssuer, TokenFactory, type FakeIssuer } from '@m8/testing';
import { createApp } from '../src/app';
import { Settings } from '../src/core/config';

const SECRET = 'items-service-stateful-secret-0123456789';
let issuer: FakeIssuer;
let app: M8App<Settings>;
let api: string;
const tokens = TokenFactory.hs256(SECRET);
const get = (token: string) => fetch(`${api}/items/`, { headers: { Authorization: `Bearer ${token}` } });

beforeAll(async () => {
  issuer = await startFakeIssuer();
  const settings = Settings.load({
    values: {
      PROJECT_NAME: 'items stateful',
      TOKEN_MODE: 'stateful',
      AUTH_SERVICE_ROLE: 'consumer',
      INTROSPECTION_URL: issuer.url,
      PRIVATE_API_SECRET: 'issuer-shared-secret',
      ACCESS_SECRET_KEY: SECRET,
      SELECTED_DB: 'Sqlite',
      DB_DATABASE: ':memory:',
      LOG_LEVEL: 'silent',
    },
    env: {},
    envFile: false,
  });
  app = await createApp(settings);
  api = `${(await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false })).url}/api`;
});

afterAll(async () => {
  await app?.close();
  await issuer?.close();
});

describe('items-service, stateful consumer', () => {
  it('asks the issuer with the internal token, and lets an active token through', async () => {
    const token = tokens.mint({ jti: 'jti-active' });
    expect((await get(token)).status).toBe(200);
    const request = issuer.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers['x-internal-token']).toBe('issuer-shared-secret');
    expect(request.body).toEqual({ jti: 'jti-active' });
  });

  it('refuses a revoked token with 401', async () => {
    issuer.revoke('jti-revoked');
    const res = await get(tokens.mint({ jti: 'jti-revoked' }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ detail: 'Token has been revoked.' });
  });

  it('answers 503 when the issuer cannot say (fail-closed)', async () => {
    issuer.script(IssuerAnswers.serverError());
    const res = await get(tokens.mint());
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ detail: 'Token revocation check unavailable.' });
    issuer.script(undefined);
  });
});
