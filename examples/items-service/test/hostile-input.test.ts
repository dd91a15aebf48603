/**
 * The example service attacked as a hostile client would, with a valid writer token, over real
 * HTTP: every probe of the request-edge review plus the ones that already passed, so they keep
 * passing. Each answer is checked for its status, a `{"detail"}` body with nothing internal in
 * it, and the service must still answer `/api/ping` afterwards.
 */
import { gzipSync, deflateSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ask, expectPingAnswers, expectProblem, leaksIn, rawExchange, startHostileTarget, type HostileTarget } from './hostile-target';

let target: HostileTarget;
let itemId: string;

beforeAll(async () => {
  target = await startHostileTarget({ HEADERS_TIMEOUT_SECONDS: 1, REQUEST_TIMEOUT_SECONDS: 2 });
  const created = await ask(`${target.api}/items/`, { method: 'POST', headers: target.writer, body: JSON.stringify({ title: 'target' }) });
  expect(created.status).toBe(201);
  itemId = (created.json as { id: string }).id;
});
afterAll(() => target?.close());
afterEach(() => expectPingAnswers(target));

const post = (body: string | Uint8Array, headers: Record<string, string> = {}) =>
  ask(`${target.api}/items/`, { method: 'POST', headers: { ...target.writer, ...headers }, body });

async function storedTitles(): Promise<string[]> {
  const list = await ask(`${target.api}/items/?limit=500`, { headers: target.writer });
  return (list.json as { title: string }[]).map((item) => item.title);
}

/** `{"0":1,"1":1,...}` with short keys: 100,000 keys in about 930 KB, under the 1 MiB body limit. */
function manyKeys(count: number): string {
  const body: Record<string, number> = { title: 1 };
  for (let i = 0; i < count; i++) body[i.toString(36)] = 1;
  return JSON.stringify(body);
}

describe('the rows of the review', () => {
  it('answers a 100,000-key body with 413 naming BODY_MAX_FIELDS, while /api/ping answers', async () => {
    const body = manyKeys(100_000);
    expect(body.length).toBeLessThan(1024 * 1024);
    const [answer, ping] = await Promise.all([post(body), ask(`${target.api}/ping`)]);
    expectProblem(answer, 413, 'Request body has more than 5000 fields, counting object members and array items (BODY_MAX_FIELDS)');
    expect(ping.status).toBe(200);
  });

  it('answers PATCH with an array where the DTO is an object with 422', async () => {
    const answer = await ask(`${target.api}/items/${itemId}`, { method: 'PATCH', headers: target.writer, body: JSON.stringify([{ title: '' }]) });
    expectProblem(answer, 422);
    expect(await storedTitles()).toContain('target');
  });

  it('answers PATCH with a null title with 422 (the column is NOT NULL; found by the fuzz run)', async () => {
    const answer = await ask(`${target.api}/items/${itemId}`, { method: 'PATCH', headers: target.writer, body: JSON.stringify({ title: null }) });
    expectProblem(answer, 422);
    expect((answer.json as { detail: { loc: unknown[] }[] }).detail.map((issue) => issue.loc)).toContainEqual(['body', 'title']);
  });

  it('answers POST with an array where the DTO is an object with 422', async () => {
    expectProblem(await post(JSON.stringify([{ title: 'a' }])), 422);
  });

  it('answers a body nested 3,000 levels deep with 413 naming BODY_MAX_DEPTH', async () => {
    for (const deep of ['['.repeat(3000) + ']'.repeat(3000), '{"a":'.repeat(3000) + '1' + '}'.repeat(3000), `{"title":"t","description":${'['.repeat(40)}${']'.repeat(40)}}`]) {
      expectProblem(await post(deep), 413, 'Request body is nested more than 32 levels deep (BODY_MAX_DEPTH)');
    }
  });

  it('answers Content-Encoding gzip or deflate on a body that is not compressed with 400', async () => {
    const body = JSON.stringify({ title: 'not compressed' });
    expectProblem(await post(body, { 'Content-Encoding': 'gzip' }), 400, 'Request body is not valid gzip data');
    expectProblem(await post(body, { 'Content-Encoding': 'deflate' }), 400, 'Request body is not valid deflate data');
    expect(await storedTitles()).not.toContain('not compressed');
  });

  it('answers invalid UTF-8 inside a JSON body with 400, and stores nothing', async () => {
    const invalid = Buffer.concat([Buffer.from('{"title":"bad-'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]);
    expectProblem(await post(invalid), 400, 'Request body is not valid UTF-8');
    expect((await storedTitles()).filter((title) => title.startsWith('bad-'))).toEqual([]);
  });

  it('answers a charset other than UTF-8 with 415', async () => {
    const answer = await post(JSON.stringify({ title: 'latin' }), { 'Content-Type': 'application/json; charset=iso-8859-1' });
    expectProblem(answer, 415, 'Unsupported charset: request bodies must be UTF-8');
  });

  it("answers Node's own rejections with {\"detail\"} JSON: 431, 408, 400", async () => {
    const big = await rawExchange(target.port, `GET /api/ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const slow = await rawExchange(target.port, 'GET /api/ping HTTP/1.1\r\nHost: x\r\n');
    const line = await rawExchange(target.port, 'NOT HTTP AT ALL\r\n\r\n');
    const framing = await rawExchange(target.port, 'POST /api/items/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
    for (const [answer, status] of [[big, 431], [slow, 408], [line, 400], [framing, 400]] as const) {
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(Object.keys(JSON.parse(answer.body) as object)).toEqual(['detail']);
      expect(leaksIn(answer.body)).toEqual([]);
    }
  });

  it('names where a bad parameter came from in loc: query, path', async () => {
    const query = await ask(`${target.api}/items/?limit=abc`, { headers: target.writer });
    expectProblem(query, 422);
    expect((query.json as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual(['query', 'limit']);
    const path = await ask(`${target.api}/items/not-a-uuid`, { headers: target.writer });
    expect((path.json as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual(['path', 'id']);
  });
});

describe('probes that already passed', () => {
  it('refuses prototype pollution, and Object.prototype stays clean', async () => {
    expectProblem(await post('{"title":"p","__proto__":{"polluted":true}}'), 422);
    expectProblem(await post('{"title":"p","\\u005f_proto__":{"polluted":true}}'), 422);
    // Harmless shapes: stored as plain data (the form parser drops __proto__ keys).
    const viaConstructor = await post('{"title":"c","constructor":{"prototype":{"polluted":true}}}');
    expect([viaConstructor.status, (viaConstructor.json as { title: string }).title]).toEqual([201, 'c']);
    const viaForm = await post('title=f&__proto__[polluted]=1', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect([viaForm.status, (viaForm.json as { title: string }).title]).toEqual([201, 'f']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('serves no file outside the docs assets', async () => {
    for (const path of ['/docs/assets/..%2f..%2f..%2fpackage.json', '/docs/assets/../../../../etc/passwd', '/docs/assets/%2e%2e/%2e%2e/src/app.ts', '/redoc/assets/..%5c..%5cpackage.json']) {
      const answer = await ask(`${target.api}${path}`);
      expectProblem(answer, 404, 'Not Found');
    }
  });

  it('answers 20 MB bodies and a gzip bomb with 413', async () => {
    expectProblem(await post(Buffer.alloc(20_000_000, 0x20)), 413);
    expectProblem(await post(gzipSync(Buffer.alloc(50_000_000, 0x20)), { 'Content-Encoding': 'gzip' }), 413);
    expectProblem(await post(deflateSync(Buffer.alloc(50_000_000, 0x5b)), { 'Content-Encoding': 'deflate' }), 413);
  });

  it('answers unknown and unusual methods without a 500', async () => {
    const brew = await rawExchange(target.port, `BREW /api/items/ HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect([brew.status, JSON.parse(brew.body)]).toEqual([400, { detail: 'Malformed HTTP request' }]);
    // A method no route implements at all is a 501, one the path does not serve a 405 (as routing-controllers answers).
    for (const method of ['PROPFIND', 'PURGE']) {
      expectProblem(await ask(`${target.api}/items/`, { method, headers: target.writer }), 501, 'Not Implemented');
    }
    for (const method of ['PUT', 'DELETE']) {
      expectProblem(await ask(`${target.api}/items/`, { method, headers: target.writer }), 405, 'Method Not Allowed');
    }
    expect((await ask(`${target.api}/items/`, { method: 'OPTIONS', headers: target.writer })).status).toBe(200);
  });
});
