/**
 * A bounded, seeded fuzz run against the example service over real HTTP: random methods, paths,
 * headers, content types, encodings and bodies (well-formed, malformed, compressed or not, deep,
 * binary). No answer may be a 500, every error is `{"detail"}` JSON with nothing internal in it,
 * no request may hang, and the same seed gives the same answers.
 *
 * `FUZZ_RUNS` and `FUZZ_SEED` change the run (`npm run fuzz` runs 5,000); a failure prints the
 * seed and the shrunk request that reproduces it.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenFactory } from '@m8/testing';
import { leaksIn, startHostileTarget, type HostileTarget } from './hostile-target';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);

let target: HostileTarget;
let itemId: string;

beforeAll(async () => {
  target = await startHostileTarget();
  const res = await fetch(`${target.api}/items/`, { method: 'POST', headers: target.writer, body: JSON.stringify({ title: 'fuzz target' }) });
  itemId = ((await res.json()) as { id: string }).id;
});
afterAll(() => target?.close());

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly auth: 'writer' | 'reader' | 'none' | 'garbage';
  readonly contentType: string | undefined;
  readonly encoding: { readonly name: string; readonly compress: boolean } | undefined;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
}

const segment = fc.oneof(
  fc.constantFrom('api', 'items', 'ping', 'health', 'docs', 'assets', 'redoc', 'metrics', 'admin', 'bootstrap', 'openapi.json', '..', '%2e%2e', '%2f', '%00', '%ff', '%c0%af', '%5c', '~', 'é', ':id'),
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,16}$/),
);
// Weighted towards the routes that read bodies, with a writer's token, so bodies reach controllers.
const path = fc.oneof(
  { arbitrary: fc.constantFrom('/api/items/', '/api/items/ITEM'), weight: 6 },
  {
    arbitrary: fc.constantFrom('/api/items/ITEM/admin', '/api/items/?limit=3', '/api/items/?limit=-1', '/api/ping', '/api/health/', '/api/docs', '/api/openapi.json', '/metrics', '/api/admin/bootstrap', '/'),
    weight: 2,
  },
  { arbitrary: fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`), weight: 2 },
);

const deep = fc.integer({ min: 1, max: 80 }).chain((depth) => fc.constantFrom('['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)));
const itemLike = fc
  .record({ title: fc.oneof(fc.string({ maxLength: 250 }), fc.integer(), fc.constant(null), fc.boolean()), description: fc.oneof(fc.string({ maxLength: 50 }), fc.constant(null)) }, { requiredKeys: [] })
  .map((value) => JSON.stringify(value));
const body = fc.oneof(
  itemLike,
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  deep,
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom('', '{', '{"title":', 'title=x&description=y', 'a[b][c][d]=1', '{"__proto__":{"x":1}}', '\uFEFF{"title":"bom"}'),
);

const request: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.oneof({ arbitrary: fc.constantFrom('POST', 'PATCH'), weight: 6 }, { arbitrary: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PROPFIND'), weight: 3 }),
  path,
  auth: fc.oneof({ arbitrary: fc.constant('writer' as const), weight: 6 }, { arbitrary: fc.constantFrom('reader' as const, 'none' as const, 'garbage' as const), weight: 2 }),
  contentType: fc.constantFrom(
    'application/json',
    'application/json',
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/merge-patch+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    undefined,
  ),
  encoding: fc.option(fc.record({ name: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'gzip, br'), compress: fc.boolean() }), { nil: undefined, freq: 2 }),
  headers: fc.dictionary(fc.stringMatching(/^x-[a-z]{1,12}$/), fc.stringMatching(/^[ -~]{0,40}$/), { maxKeys: 3 }),
  body: fc.option(body, { nil: undefined, freq: 8 }),
});

const tokens = TokenFactory.hs256('hostile-input-test-secret-0123456789abcdef');

function encode(payload: string | Uint8Array, name: string): Uint8Array {
  if (name === 'gzip') return gzipSync(payload);
  if (name === 'deflate') return deflateSync(payload);
  if (name === 'br') return brotliCompressSync(payload);
  return typeof payload === 'string' ? Buffer.from(payload) : payload;
}

function toInit(req: FuzzRequest): { url: string; init: RequestInit } {
  const headers: Record<string, string> = { ...req.headers };
  if (req.auth === 'writer') headers.authorization = target.writer.Authorization!;
  if (req.auth === 'reader') headers.authorization = `Bearer ${tokens.mint({ role: 'reader' })}`;
  if (req.auth === 'garbage') headers.authorization = 'Bearer not.a.token';
  if (req.contentType) headers['content-type'] = req.contentType;
  let payload: string | Uint8Array | undefined = req.method === 'GET' || req.method === 'HEAD' ? undefined : req.body;
  if (payload !== undefined && req.encoding) {
    headers['content-encoding'] = req.encoding.name;
    if (req.encoding.compress) payload = encode(payload, req.encoding.name);
  }
  return { url: `${target.root}${req.path.replaceAll('ITEM', itemId)}`, init: { method: req.method, headers, body: payload } };
}

/** HTTP methods the routing stage implements (as @koa/router); any other is a 501, as routing-controllers answers. */
const IMPLEMENTED = new Set(['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE']);

/** Sends one request; fails on a 5xx (but the 501 of an unknown method), a hang, a non-JSON error or a leak. Returns the status. */
async function check(req: FuzzRequest): Promise<number> {
  const { url, init } = toInit(req);
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  expect(res.status).toBeLessThan(IMPLEMENTED.has(req.method) ? 500 : 502);
  if (res.status >= 400 && req.method !== 'HEAD') {
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['detail']);
    expect(leaksIn(text)).toEqual([]);
  }
  return res.status;
}

describe('fuzzing the example service', () => {
  it(`answers ${RUNS} random requests without a 500, a hang or a leak (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        await check(req);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false },
    );
    expect((await fetch(`${target.api}/ping`)).status).toBe(200);
  }, 120_000);

  it('gives the same answers for the same seed', async () => {
    const statuses = async (): Promise<number[]> => {
      const out: number[] = [];
      for (const req of fc.sample(request, { seed: SEED + 1, numRuns: 150 })) out.push(await check(req));
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(5);
  }, 60_000);
});
