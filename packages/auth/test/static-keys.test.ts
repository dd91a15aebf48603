/** RS256 / ES256 with a PEM file (ACCESS_PUBLIC_KEY_FILE), including the algorithm-confusion attack. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlinkSync, writeFileSync } from 'node:fs';
import { buildAuthDeps, AuthConfigError } from '@m8/auth';
import { TokenFactory } from '../../testing/src/tokens';
import { call, INVALID, loadTestSettings, startTestApp, type TestApp } from './helpers/app';
import { GuardController } from './helpers/controllers';

// Key generation is the slow part (RSA): every key pair is made once for the file.
const KEYS = {
  RS256: { signer: TokenFactory.rs256({ kid: 'k1' }), other: TokenFactory.rs256({ kid: 'k1' }) },
  ES256: { signer: TokenFactory.es256({ kid: 'k1' }), other: TokenFactory.es256({ kid: 'k1' }) },
};

describe.each(['RS256', 'ES256'] as const)('%s with a PEM file', (algorithm) => {
  const { signer, other } = KEYS[algorithm];
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp([GuardController], { ACCESS_TOKEN_ALGORITHM: algorithm, ACCESS_PUBLIC_KEY_FILE: signer.writePublicKeyFile(), ACCESS_SECRET_KEY: undefined });
  });
  afterAll(() => t.close());

  it('accepts a token signed with the matching private key', async () => {
    const answer = await call(`${t.url}/guards/writer`, { token: signer.mint({ role: 'writer' }) });
    expect(answer.status).toBe(200);
  });

  it('ignores the kid header with a static key', async () => {
    expect((await call(`${t.url}/guards/any`, { token: signer.mint({}, { header: { kid: 'unknown-kid' } }) })).status).toBe(200);
    expect((await call(`${t.url}/guards/any`, { token: signer.mint({}, { header: { kid: undefined } }) })).status).toBe(200);
  });

  it('refuses HS256 signed with the public key PEM (algorithm confusion)', async () => {
    const forged = TokenFactory.hs256(signer.publicKeyPem!).mint({ role: 'superadmin', is_superuser: true });
    const answer = await call(`${t.url}/guards/any`, { token: forged });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID.body);
    expect(t.events.at(-1)).toEqual({ name: 'auth.failure', event: { reason: 'wrong_algorithm' } });
  });

  it('refuses HS256 signed with the PEM even when the header claims the right alg', async () => {
    const confused = TokenFactory.hs256(signer.publicKeyPem!).mint({}, { header: { alg: algorithm } });
    const answer = await call(`${t.url}/guards/any`, { token: confused });
    expect(answer.status).toBe(401);
  });

  it('refuses another key pair', async () => {
    const answer = await call(`${t.url}/guards/any`, { token: other.mint() });
    expect(answer.status).toBe(401);
    expect(t.events.at(-1)).toEqual({ name: 'auth.failure', event: { reason: 'bad_signature' } });
  });

  it('refuses the other asymmetric algorithm', async () => {
    const crossed = algorithm === 'RS256' ? KEYS.ES256.signer : KEYS.RS256.signer;
    expect((await call(`${t.url}/guards/any`, { token: crossed.mint() })).status).toBe(401);
  });

  it('refuses tampered claims and expired tokens', async () => {
    expect((await call(`${t.url}/guards/any`, { token: TokenFactory.tamper(signer.mint(), { role: 'admin' }) })).status).toBe(401);
    expect((await call(`${t.url}/guards/any`, { token: signer.expired(30) })).status).toBe(401);
  });
});

describe('PEM problems fail the start, not a request', () => {
  it('a PEM of the wrong key type is an AuthConfigError at setup', async () => {
    const settings = loadTestSettings({ ACCESS_TOKEN_ALGORITHM: 'ES256', ACCESS_PUBLIC_KEY_FILE: KEYS.ES256.signer.writePublicKeyFile(), ACCESS_SECRET_KEY: undefined });
    // Swap the file for an RSA key after settings validated it (a key rotated under a running config).
    writeFileSync(settings.ACCESS_PUBLIC_KEY_FILE!, KEYS.RS256.signer.publicKeyPem!);
    const auth = buildAuthDeps(settings);
    await expect(auth.setup({ events: undefined, logger: undefined, container: { register: () => undefined }, authorize: () => undefined, onClose: () => undefined } as never)).rejects.toMatchObject({
      code: 'ERR_M8_AUTH_CONFIG',
    });
  });

  it('an unreadable PEM file is an AuthConfigError at build', () => {
    const settings = loadTestSettings({ ACCESS_TOKEN_ALGORITHM: 'RS256', ACCESS_PUBLIC_KEY_FILE: KEYS.RS256.signer.writePublicKeyFile(), ACCESS_SECRET_KEY: undefined });
    unlinkSync(settings.ACCESS_PUBLIC_KEY_FILE!); // gone between validation and build
    expect(() => buildAuthDeps(settings)).toThrow(AuthConfigError);
  });
});
