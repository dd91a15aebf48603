import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { IssuerAnswers, startFakeIssuer, type FakeIssuer } from '../src/fake-issuer';

/** A POST on a new connection (no keep-alive socket left over from before a restart). */
function fresh(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; json(): Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const SECRET = 'internal';
const ask = (issuer: FakeIssuer, body: unknown, token = SECRET): Promise<Response> =>
  fetch(issuer.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-internal-token': token }, body: JSON.stringify(body), redirect: 'manual' });

describe('startFakeIssuer', () => {
  let issuer: FakeIssuer;
  beforeAll(async () => {
    issuer = await startFakeIssuer({ secret: SECRET });
  });
  afterAll(() => issuer.close());
  beforeEach(() => issuer.reset());

  it('answers active by default, revoked for revoked jtis, and records calls', async () => {
    issuer.revoke('gone');
    expect(await (await ask(issuer, { jti: 'j1' })).json()).toEqual({ active: true });
    expect(await (await ask(issuer, { jti: 'gone' })).json()).toEqual({ active: false });
    expect(issuer.calls).toBe(2);
    expect(issuer.requests[0]!.body).toEqual({ jti: 'j1' });
    expect(issuer.requests[0]!.headers['x-internal-token']).toBe(SECRET);
  });

  it('answers the v2 shape to a v2 request', async () => {
    const reply = await (await ask(issuer, { jti: 'j', expected_user_id: 'u-1', schema_version: '2' })).json();
    expect(reply).toEqual({ active: true, auth_generation: 1, schema_version: '2', user_id: 'u-1' });
  });

  it('refuses a wrong internal token with 401', async () => {
    expect((await ask(issuer, { jti: 'j' }, 'wrong')).status).toBe(401);
  });

  it.each([
    ['serverError', IssuerAnswers.serverError(), 500, '{"detail":"Internal Server Error"}'],
    ['nonJson', IssuerAnswers.nonJson(), 200, '<html>ok</html>'],
    ['activeAsString', IssuerAnswers.activeAsString(), 200, '{"active":"false"}'],
    ['missingActive', IssuerAnswers.missingActive(), 200, '{"status":"ok"}'],
    ['redirect', IssuerAnswers.redirect('http://127.0.0.1:1/x'), 307, ''],
  ])('scripted %s', async (_, answer, status, text) => {
    issuer.script(answer);
    const response = await ask(issuer, { jti: 'j' });
    expect(response.status).toBe(status);
    expect(await response.text()).toBe(text);
  });

  it('scripted slow and down answers', async () => {
    issuer.script(IssuerAnswers.slow(120));
    const started = Date.now();
    expect((await ask(issuer, { jti: 'j' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    issuer.script(IssuerAnswers.down());
    await expect(ask(issuer, { jti: 'j' })).rejects.toThrow();
  });

  it('a script function sees the request', async () => {
    issuer.script((request) => ({ json: { active: (request.body as { jti: string }).jti === 'yes' } }));
    expect(await (await ask(issuer, { jti: 'yes' })).json()).toEqual({ active: true });
    expect(await (await ask(issuer, { jti: 'no' })).json()).toEqual({ active: false });
  });
});

describe('startFakeIssuer: service tokens and the hardened mode', () => {
  const CLIENT = 'orders';
  let issuer: FakeIssuer;
  beforeAll(async () => {
    issuer = await startFakeIssuer({ secret: SECRET, clientId: CLIENT, hardened: true, serviceTokenTtlSeconds: 90 });
  });
  afterAll(() => issuer.close());
  beforeEach(() => issuer.reset());

  const exchange = (headers: Record<string, string>, body: unknown = { scopes: ['jti:read'] }): Promise<Response> =>
    fetch(issuer.serviceTokenUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const withBearer = (token: string): Promise<{ status: number; json(): Promise<unknown> }> =>
    fresh(issuer.url, { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-internal-client': CLIENT }, '{"jti":"j"}');
  const mint = async (): Promise<string> =>
    ((await (await fresh(issuer.serviceTokenUrl, { 'content-type': 'application/json', 'x-internal-token': SECRET, 'x-internal-client': CLIENT }, '{}')).json()) as { access_token: string }).access_token;

  it('issues a token for the bootstrap headers, and jti-status accepts it', async () => {
    const response = await exchange({ 'x-internal-token': SECRET, 'x-internal-client': CLIENT });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(reply).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), token_type: 'bearer', expires_in: 90 });
    expect(await (await withBearer(reply.access_token)).json()).toEqual({ active: true });
    expect(issuer.exchanges.map((e) => e.body)).toEqual([{ scopes: ['jti:read'] }]);
    expect(issuer.calls).toBe(1);
  });

  it.each([
    ['no client id', { 'x-internal-token': SECRET }],
    ['another client id', { 'x-internal-token': SECRET, 'x-internal-client': 'billing' }],
    ['a wrong secret', { 'x-internal-token': 'wrong', 'x-internal-client': CLIENT }],
  ])('refuses an exchange with %s (401)', async (_label, headers) => {
    expect((await exchange(headers)).status).toBe(401);
  });

  it('refuses scopes that are not a list of strings (422)', async () => {
    expect((await exchange({ 'x-internal-token': SECRET, 'x-internal-client': CLIENT }, { scopes: 'all' })).status).toBe(422);
  });

  it('hardened: the legacy and bootstrap shapes get 401 on jti-status', async () => {
    expect((await ask(issuer, { jti: 'j' })).status).toBe(401);
    const bootstrap = await fetch(issuer.url, { method: 'POST', headers: { 'x-internal-token': SECRET, 'x-internal-client': CLIENT }, body: '{"jti":"j"}' });
    expect(bootstrap.status).toBe(401);
    expect(await bootstrap.json()).toEqual({ detail: 'A service token is required' });
  });

  it('refuses an unknown bearer, a forgotten one, and one issued before a restart', async () => {
    expect((await withBearer('made-up')).status).toBe(401);
    const first = await mint();
    issuer.forgetServiceTokens();
    expect((await withBearer(first)).status).toBe(401);
    const second = await mint();
    const url = issuer.url;
    await issuer.restart();
    expect(issuer.url).toBe(url);
    expect((await withBearer(second)).status).toBe(401);
    expect((await withBearer(await mint())).status).toBe(200);
  });
});
