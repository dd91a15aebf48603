import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IssuerAnswers, startFakeIssuer, type FakeIssuer } from '../src/fake-issuer';

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
