/**
 * The jti-status client on its own, against a real fake issuer on loopback: the positive cache's bound and
 * eviction order, the v2 cache key (jti and user), close(), the replies that read as nothing (JSON null, a
 * 2xx outside 200–299) and the warning a malformed reply logs.
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppEvents } from '@m8/core';
import { IssuerAnswers, startFakeIssuer, type FakeIssuer } from '../../testing/src/fake-issuer';
import { StaticIdentity } from '../src/client-identity';
import { RevocationClient, type RevocationClientOptions } from '../src/revocation-client';
import { AuthTelemetry } from '../src/telemetry';
import type { UserModel } from '../src/user-model';

const SECRET = 'internal-secret-for-client-tests';
const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';

let issuer: FakeIssuer;
beforeAll(async () => {
  issuer = await startFakeIssuer({ secret: SECRET });
});
afterAll(() => issuer.close());
beforeEach(() => issuer.reset());

const user = (jti: string, sub = U1): UserModel =>
  ({ id: sub, sub, jti, exp: Math.floor(Date.now() / 1000) + 600, email: 'a@example.com', isActive: true }) as UserModel;

function client(options: Partial<RevocationClientOptions> = {}): { client: RevocationClient; warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  const telemetry = new AuthTelemetry();
  telemetry.attach(new AppEvents(), { warn: (fields: Record<string, unknown>) => void warnings.push(fields), debug: () => undefined } as never);
  const made = new RevocationClient({
    url: issuer.url,
    identity: new StaticIdentity(SECRET, undefined),
    schemaVersion: '1',
    failureMode: 'fail_closed',
    cacheTtlMs: 0,
    cacheSize: 10_000,
    connectTimeoutMs: 2_000,
    timeoutMs: 3_000,
    telemetry,
    ...options,
  });
  return { client: made, warnings };
}

describe('the positive cache', () => {
  it('keeps at most cacheSize jtis and evicts the oldest first', async () => {
    const { client: c } = client({ cacheTtlMs: 60_000, cacheSize: 2 });
    try {
      for (const jti of ['a', 'b', 'c']) expect(await c.check(user(jti))).toBe('active');
      expect(issuer.calls).toBe(3); // a was evicted when c came in
      expect(c.check(user('b'))).toBe('active'); // synchronous: from the cache
      expect(c.check(user('c'))).toBe('active');
      expect(issuer.calls).toBe(3);
      expect(await c.check(user('a'))).toBe('active'); // asked again; b, the oldest now, makes room
      expect(issuer.calls).toBe(4);
      expect(c.check(user('c'))).toBe('active');
      expect(await c.check(user('b'))).toBe('active');
      expect(issuer.calls).toBe(5);
      expect(issuer.requests.map((request) => (request.body as { jti: string }).jti)).toEqual(['a', 'b', 'c', 'a', 'b']);
    } finally {
      await c.close();
    }
  });

  it('v2: two users sharing a jti are two entries (the key is jti and user)', async () => {
    const { client: c } = client({ cacheTtlMs: 60_000, schemaVersion: '2' });
    try {
      expect(await c.check(user('shared', U1))).toBe('active');
      expect(await c.check(user('shared', U2))).toBe('active');
      expect(issuer.requests.map((request) => request.body)).toEqual([
        { jti: 'shared', expected_user_id: U1, schema_version: '2' },
        { jti: 'shared', expected_user_id: U2, schema_version: '2' },
      ]);
      expect(c.check(user('shared', U1))).toBe('active');
      expect(c.check(user('shared', U2))).toBe('active');
      expect(issuer.calls).toBe(2);
    } finally {
      await c.close();
    }
  });

  it('v2: concurrent checks of one jti for two users are two calls, not one shared answer', async () => {
    const { client: c } = client({ schemaVersion: '2' });
    try {
      issuer.script((request) => IssuerAnswers.slow(50, IssuerAnswers.activeV2(String((request.body as { expected_user_id: string }).expected_user_id))));
      expect(await Promise.all([c.check(user('same', U1)), c.check(user('same', U2))])).toEqual(['active', 'active']);
      expect(issuer.calls).toBe(2);
    } finally {
      await c.close();
    }
  });
});

/**
 * A listener on loopback whose accept queue is full: its process listens with a backlog of 1 and then blocks its
 * event loop, so it never accepts; two connections fill the queue (Linux keeps backlog + 1), and from then on the
 * kernel drops new SYNs: a connect that hangs, as one to a dead host would.
 */
async function startHangingListener(): Promise<{ url: string; close(): void }> {
  const child = spawn(process.execPath, ['-e', HANGING_LISTENER], { stdio: ['ignore', 'pipe', 'ignore'] });
  // It prints its port, then "blocked" once its event loop stops: from then on it accepts nothing.
  const port = await new Promise<number>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('blocked\n')) resolve(Number(out.split('\n')[0]));
    });
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i += 1) {
    const socket = connect(port, '127.0.0.1');
    fillers.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  }
  return {
    url: `http://127.0.0.1:${port}/api/v1/internal/jti-status`,
    close() {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
    },
  };
}
const HANGING_LISTENER = `
const server = require('node:net').createServer();
server.listen(0, '127.0.0.1', 1, () => {
  process.stdout.write(server.address().port + '\\n', () => {
    process.stdout.write('blocked\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0));
  });
});
`;

describe('the connect timeout', () => {
  it('a connect that hangs is given up after connectTimeoutMs, long before the call timeout: unverifiable', async () => {
    const hanging = await startHangingListener();
    const { client: c, warnings } = client({ url: hanging.url, connectTimeoutMs: 300, timeoutMs: 30_000 });
    try {
      const started = performance.now();
      expect(await c.check(user('j'))).toBe('unverifiable');
      const took = performance.now() - started;
      // Timing is the behaviour: not before the connect timeout, and nowhere near the 30 s call timeout.
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(10_000);
      expect(warnings).toEqual([{ event: 'revocation_unverifiable', verdict: 'unavailable', result: 'unverifiable' }]);
    } finally {
      await c.close();
      hanging.close();
    }
  });
});

describe('close()', () => {
  it('forgets cached answers and stops asking: a check after close is unverifiable, never a stale active', async () => {
    const { client: c } = client({ cacheTtlMs: 60_000 });
    expect(await c.check(user('kept'))).toBe('active');
    expect(c.check(user('kept'))).toBe('active');
    await c.close();
    expect(await c.check(user('kept'))).toBe('unverifiable');
    expect(issuer.calls).toBe(1);
  });
});

describe('replies that say nothing usable', () => {
  it.each<[string, () => ReturnType<typeof IssuerAnswers.active>]>([
    ['JSON null', () => ({ json: null })],
    ['a JSON array', () => ({ json: [{ active: true }] })],
    ['a JSON string', () => ({ json: 'active' })],
    ['an empty 200', () => ({ raw: '' })],
  ])('%s is unverifiable (even fail_open), and logged as malformed', async (_, answer) => {
    const { client: c, warnings } = client({ failureMode: 'fail_open' });
    try {
      issuer.script(answer());
      expect(await c.check(user('j'))).toBe('unverifiable');
      expect(warnings).toEqual([{ event: 'revocation_unverifiable', verdict: 'malformed', result: 'unverifiable' }]);
    } finally {
      await c.close();
    }
  });

  it('a transport failure is logged as unavailable, with the verdict the failure mode gives', async () => {
    const closed = client({ failureMode: 'fail_closed' });
    const open = client({ failureMode: 'fail_open' });
    try {
      issuer.script(IssuerAnswers.serverError());
      expect(await closed.client.check(user('j'))).toBe('unverifiable');
      expect(await open.client.check(user('j'))).toBe('fail_open');
      expect(closed.warnings).toEqual([{ event: 'revocation_unverifiable', verdict: 'unavailable', result: 'unverifiable' }]);
      expect(open.warnings).toEqual([{ event: 'revocation_unverifiable', verdict: 'unavailable', result: 'fail_open' }]);
    } finally {
      await closed.client.close();
      await open.client.close();
    }
  });

  it('active and revoked answers log nothing', async () => {
    const { client: c, warnings } = client();
    try {
      issuer.script(IssuerAnswers.revoked());
      expect(await c.check(user('j'))).toBe('revoked');
      issuer.script(IssuerAnswers.active());
      expect(await c.check(user('j'))).toBe('active');
      expect(warnings).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it.each([
    [200, 'active'],
    [201, 'active'],
    [299, 'active'],
    [300, 'unverifiable'],
    [304, 'unverifiable'],
    [400, 'unverifiable'],
  ])('HTTP %i with {"active": true} → %s (only 2xx is an answer)', async (status, expected) => {
    const { client: c } = client();
    try {
      issuer.script({ status, json: { active: true } });
      expect(await c.check(user('j'))).toBe(expected);
    } finally {
      await c.close();
    }
  });
});
