/** Request bodies: size, depth and field limits, encodings and charsets, all before any controller runs. */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Body, JsonController, Post } from 'routing-controllers';
import { createTestSettings, startTestApp, type TestApp } from '@m8/testing';
import { checkJsonShape, countFormFields } from '../src/http/body-shape';

const received: unknown[] = [];

@JsonController('/echo')
class EchoController {
  @Post('/')
  echo(@Body() body: unknown) {
    received.push(body);
    return { body };
  }
}

let t: TestApp<ReturnType<typeof createTestSettings>>;
beforeAll(async () => {
  const settings = createTestSettings({ BODY_LIMIT_BYTES: 4096, BODY_MAX_DEPTH: 4, BODY_MAX_FIELDS: 10 });
  t = await startTestApp({ settings, controllers: [EchoController] });
});
afterAll(() => t.close());

async function post(body: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${t.url}/api/echo/`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, json: await res.json() };
}

describe('depth and field limits', () => {
  it('accepts a body exactly at both limits', async () => {
    const atLimit = { a: { b: { c: [1, 2, 3] } }, d: 1, e: 2, f: 3, g: 4 }; // depth 4, 10 fields
    expect(await post(JSON.stringify(atLimit))).toEqual({ status: 200, json: { body: atLimit } });
  });

  it('answers 413 naming BODY_MAX_DEPTH one level deeper', async () => {
    const res = await post(JSON.stringify({ a: { b: { c: { d: [] } } } }));
    expect(res).toEqual({ status: 413, json: { detail: 'Request body is nested more than 4 levels deep (BODY_MAX_DEPTH)' } });
  });

  it('answers 413 naming BODY_MAX_FIELDS one field over', async () => {
    const res = await post(JSON.stringify({ a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }));
    expect(res).toEqual({
      status: 413,
      json: { detail: 'Request body has more than 10 fields, counting object members and array items (BODY_MAX_FIELDS)' },
    });
  });

  it('answers 413 for two thousand nested arrays (deeper than any parser recursion) without reaching the controller', async () => {
    const before = received.length;
    const res = await post('['.repeat(2000) + ']'.repeat(2000));
    expect(res.status).toBe(413);
    expect(received.length).toBe(before);
  });

  it('counts form fields and depth too', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(await post('a=1&b=2', form)).toEqual({ status: 200, json: { body: { a: '1', b: '2' } } });
    expect((await post(Array.from({ length: 11 }, (_, i) => `k${i}=1`).join('&'), form)).status).toBe(413);
    expect((await post('a[b][c][d][e][f]=1', form)).status).toBe(413);
  });

  it('keeps the byte limit: 413 past BODY_LIMIT_BYTES', async () => {
    expect((await post(JSON.stringify({ a: 'x'.repeat(5000) }))).status).toBe(413);
  });

  it('answers malformed JSON and __proto__ keys with 422 json_invalid', async () => {
    expect(await post('{"a": ')).toEqual({ status: 422, json: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] } });
    expect(await post('"just a string"')).toEqual({ status: 422, json: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] } });
    expect(await post('{"__proto__": {"admin": true}}')).toEqual({
      status: 422,
      json: { detail: [{ loc: ['body'], msg: 'Object contains a forbidden __proto__ property', type: 'json_invalid' }] },
    });
  });
});

describe('encodings and charsets', () => {
  const body = JSON.stringify({ title: 'zürich' });

  it('decodes gzip, deflate and br bodies', async () => {
    for (const [encoding, data] of [['gzip', gzipSync(body)], ['deflate', deflateSync(body)], ['br', brotliCompressSync(body)]] as const) {
      expect(await post(data, { 'content-encoding': encoding })).toEqual({ status: 200, json: { body: { title: 'zürich' } } });
    }
  });

  it('answers 400 when the data is not what Content-Encoding says', async () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      expect(await post(body, { 'content-encoding': encoding })).toEqual({ status: 400, json: { detail: `Request body is not valid ${encoding} data` } });
    }
    const truncated = gzipSync(body).subarray(0, 12);
    expect((await post(truncated, { 'content-encoding': 'gzip' })).status).toBe(400);
  });

  it('answers 413 for a gzip bomb: the limit counts decompressed bytes', async () => {
    expect((await post(gzipSync(Buffer.alloc(10_000_000, 0x20)), { 'content-encoding': 'gzip' })).status).toBe(413);
  });

  it('answers 415 for an unknown Content-Encoding', async () => {
    expect(await post(body, { 'content-encoding': 'compress' })).toEqual({ status: 415, json: { detail: 'Unsupported Content-Encoding: use gzip, deflate, br or identity' } });
  });

  it('answers 400 for bytes that are not UTF-8, and never hands them on', async () => {
    const before = received.length;
    const invalid = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    expect(await post(invalid)).toEqual({ status: 400, json: { detail: 'Request body is not valid UTF-8' } });
    const overlong = Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]); // an overlong "/"
    expect((await post(overlong)).status).toBe(400);
    expect(received.length).toBe(before);
  });

  it('accepts UTF-8 (with or without a BOM, any spelling of the charset) and refuses other charsets with 415', async () => {
    expect((await post(body, { 'content-type': 'application/json; charset=UTF-8' })).status).toBe(200);
    expect((await post(body, { 'content-type': 'application/json; charset=utf8' })).status).toBe(200);
    expect((await post(`\uFEFF${body}`)).status).toBe(200);
    for (const charset of ['latin1', 'utf-16', 'klingon']) {
      expect(await post(body, { 'content-type': `application/json; charset=${charset}` })).toEqual({
        status: 415,
        json: { detail: 'Unsupported charset: request bodies must be UTF-8' },
      });
    }
  });

  it('does not read bodies of other content types', async () => {
    expect(await post('\xff\xfe not json', { 'content-type': 'text/plain' })).toEqual({ status: 200, json: { body: {} } });
  });
});

describe('checkJsonShape', () => {
  it('counts members and items, not keys twice, and skips strings whole', () => {
    expect(checkJsonShape('{"a":1,"b":[1,2]}', 10, 4)).toBeUndefined();
    expect(checkJsonShape('{"a":1,"b":[1,2]}', 10, 3)).toBe('fields');
    expect(checkJsonShape('{"a":"[[[[,,,,\\"[[[["}', 1, 1)).toBeUndefined();
    expect(checkJsonShape('[[], {}, [ ]]', 2, 3)).toBeUndefined();
    expect(checkJsonShape('[[], {}, [ ]]', 1, 3)).toBe('depth');
  });

  it('counts form parameters as qs does', () => {
    expect(countFormFields('')).toBe(0);
    expect(countFormFields('a=1&&b=2&')).toBe(2);
  });
});

describe('a client that hangs up in the middle of a compressed body', () => {
  it('ends the read (no request left waiting) as a 400, not an unhandled error', async () => {
    const lines: string[] = [];
    let onLine: (() => void) | undefined;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        onLine?.();
        done();
      },
    });
    const settings = createTestSettings({ LOG_LEVEL: 'info' });
    const app = await startTestApp({ settings, controllers: [EchoController], logger: { destination } });
    try {
      const accessLine = new Promise<Record<string, unknown>>((resolve) => {
        onLine = () => {
          const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.method === 'POST');
          if (line) resolve(line);
        };
      });
      const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
      const half = gzipSync(JSON.stringify({ title: 'x'.repeat(2000) })).subarray(0, 40);
      socket.write(`POST /api/echo/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 500\r\n\r\n`);
      socket.write(half, () => socket.destroy());
      expect((await accessLine).status).toBe(400);
      expect(lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
