import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startJwksServer, type JwksServer } from '../src/jwks-server';
import { TokenFactory } from '../src/tokens';

const one = TokenFactory.es256({ kid: 'one' });
const two = TokenFactory.es256({ kid: 'two' });

describe('startJwksServer', () => {
  let jwks: JwksServer;
  beforeAll(async () => {
    jwks = await startJwksServer({ keys: [one.publicJwk!] });
  });
  afterAll(() => jwks.close());

  it('serves the keys on 127.0.0.1 and counts fetches', async () => {
    expect(jwks.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/);
    const body = (await (await fetch(jwks.url)).json()) as { keys: { kid: string }[] };
    expect(body.keys.map((key) => key.kid)).toEqual(['one']);
    expect(jwks.fetchCount).toBe(1);
  });

  it('rotates keys', async () => {
    jwks.setKeys([one.publicJwk!, two.publicJwk!]);
    const body = (await (await fetch(jwks.url)).json()) as { keys: { kid: string }[] };
    expect(body.keys.map((key) => key.kid)).toEqual(['one', 'two']);
  });

  it('fails on request: 500, dropped connection, then back up', async () => {
    jwks.setMode('error');
    expect((await fetch(jwks.url)).status).toBe(500);
    jwks.setMode('down');
    await expect(fetch(jwks.url)).rejects.toThrow();
    jwks.setMode('up');
    expect((await fetch(jwks.url)).status).toBe(200);
  });

  it('serves a raw body and delays answers', async () => {
    jwks.setBody('not json');
    jwks.setDelay(100);
    const started = Date.now();
    expect(await (await fetch(jwks.url)).text()).toBe('not json');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    jwks.setDelay(0);
    jwks.resetCount();
    expect(jwks.fetchCount).toBe(0);
  });

  it('close() does not hang on a pending slow answer', async () => {
    const slow = await startJwksServer();
    slow.setDelay(10_000);
    const pending = fetch(slow.url).catch(() => 'dropped');
    await vi.waitFor(() => expect(slow.fetchCount).toBe(1), { timeout: 10_000, interval: 5 }); // the answer is pending
    await slow.close();
    expect(await pending).toBe('dropped');
  });
});
