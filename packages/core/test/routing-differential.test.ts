/**
 * The differential suite: the same controllers (every decorator routing-controllers exports, see
 * differential/controllers.ts) served by bootstrap() and by plain routing-controllers on Koa with
 * the same checkers. Every probe must answer the same, except m8's deliberate differences (the
 * table in packages/core/README.md), each pinned by a test below. bootstrap() with
 * `routing: 'routing-controllers'` must answer exactly as bootstrap() with the compiled executor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startM8, startPlain, type Answer, type M8Served, type Probe, type Served } from './differential/servers';

let m8: M8Served;
let m8Legacy: M8Served;
let plain: Served;
beforeAll(async () => {
  [m8, m8Legacy, plain] = await Promise.all([startM8(), startM8({ routing: 'routing-controllers' }), startPlain()]);
});
afterAll(async () => {
  await Promise.all([m8?.close(), m8Legacy?.close(), plain?.close()]);
});

function upload(files: Record<string, string[]>): FormData {
  const form = new FormData();
  for (const [field, names] of Object.entries(files)) for (const name of names) form.append(field, new Blob([`content of ${name}`]), name);
  return form;
}

const alice = { 'x-user': 'alice' };
const bob = { 'x-user': 'bob' };

/** Probes whose answers must be the same (errors: same status, m8's {"detail"} shape; parameter errors 422). */
const SAME: Probe[] = [
  // path parameters, encodings, case, trailing slashes
  { path: '/api/t/echo/abc' },
  { path: '/api/t/echo/A%20B' },
  { path: '/api/t/echo/a%2Fb' },
  { path: '/api/t/echo/%E0%A4%A' },
  { path: '/api/t/echo/a+b' },
  { path: '/api/t/echo/%C3%A9t%C3%A9' },
  { path: '/api/t/%65cho/x' },
  { path: '/API/T/ECHO/Up' },
  { path: '/api/t/echo/x/' },
  { path: '/api/t//echo/x' },
  { path: '/api/t/echo/' },
  { path: '/api/t/num/7' },
  { path: '/api/t/num/7.5' },
  { path: '/api/t/num/%37' },
  { path: '/api/t/num/seven' },
  { path: '/api/t/params/one/two%20three' },
  // query conversions
  { path: '/api/t/scalars?b=true&s=x&d=2024-01-02T00:00:00.000Z&n=2.5' },
  { path: '/api/t/scalars?b=0&n=-1' },
  { path: '/api/t/scalars?b=' },
  { path: '/api/t/scalars?b=maybe' },
  { path: '/api/t/scalars?n=' },
  { path: '/api/t/scalars?n=1e3' },
  { path: '/api/t/scalars?d=never' },
  { path: '/api/t/scalars?s=a&s=b' },
  { path: '/api/t/list?ids=1&ids=2&tags=a' },
  { path: '/api/t/list?ids=1&tags=a&tags=b' },
  { path: '/api/t/list?ids=x' },
  { path: '/api/t/required?q=1' },
  { path: '/api/t/required' },
  { path: '/api/t/required?q=' },
  { path: '/api/t/json-query?item=%7B%22title%22%3A%22a%22%7D' },
  { path: '/api/t/json-query?item=%7B%22title%22%3A%22%22%7D' },
  { path: '/api/t/json-query?item=notjson' },
  { path: '/api/t/filter?limit=5&full=true&q=7' },
  { path: '/api/t/filter?limit=0' },
  { path: '/api/t/filter?limit=x' },
  { path: '/api/t/filter?full=perhaps' },
  // headers
  { path: '/api/t/headers', headers: { 'x-thing': 'thing', 'x-n': '3', 'x-count': '5' } },
  { path: '/api/t/headers', headers: { 'x-n': 'three' } },
  { path: '/api/t/headers', headers: { 'x-count': 'five' } },
  // bodies
  { method: 'POST', path: '/api/t/item', json: { title: 'a', qty: 2 } },
  { method: 'POST', path: '/api/t/item', json: { title: '', qty: 'x' } },
  { method: 'POST', path: '/api/t/item', json: {} },
  { method: 'POST', path: '/api/t/item' },
  { method: 'POST', path: '/api/t/items', json: [{ title: 'a' }, { title: 'b' }] },
  { method: 'POST', path: '/api/t/items', json: [] },
  { method: 'POST', path: '/api/t/order', json: { ref: 'r', item: { title: 't' } } },
  { method: 'POST', path: '/api/t/order', json: { ref: 'r', item: { title: '' } } },
  { method: 'POST', path: '/api/t/body-param', json: { name: 'n', count: '3' } },
  { method: 'POST', path: '/api/t/body-param', json: { count: 3 } },
  { method: 'POST', path: '/api/t/body-param', json: { name: 'n', count: 'many' } },
  { method: 'POST', path: '/api/t/raw', json: { anything: [1, 2] } },
  { method: 'POST', path: '/api/t/raw', headers: { 'content-type': 'application/x-www-form-urlencoded' }, json: undefined },
  { method: 'PUT', path: '/api/t/put/4', json: { title: 'p' } },
  { method: 'PATCH', path: '/api/t/patch/4', json: { title: 'p' } },
  { method: 'PATCH', path: '/api/t/patch/x', json: { title: 'p' } },
  { method: 'POST', path: '/api/t/untransformed-request', json: { title: 'a' } },
  // results
  { method: 'DELETE', path: '/api/t/gone' },
  { path: '/api/t/undefined' },
  { path: '/api/t/null' },
  { path: '/api/t/null-202' },
  { path: '/api/t/undefined-error' },
  { method: 'POST', path: '/api/t/created' },
  { path: '/api/t/text' },
  { path: '/api/t/bytes' },
  { path: '/api/t/secretive' },
  { path: '/api/t/secretive-admin' },
  { path: '/api/t/untransformed' },
  { method: 'PUT', path: '/api/t/method' },
  { path: '/api/t/method' },
  { method: 'HEAD', path: '/api/t/head' },
  { path: '/api/t/head' },
  { path: '/api/t/context' },
  // methods, HEAD, OPTIONS, 405, 501
  { method: 'HEAD', path: '/api/t/echo/x' },
  { method: 'HEAD', path: '/api/t/text' },
  { method: 'OPTIONS', path: '/api/t/echo/x' },
  { method: 'OPTIONS', path: '/api/nowhere' },
  { method: 'DELETE', path: '/api/t/echo/x' },
  { method: 'POST', path: '/api/t/num/7' },
  { method: 'PROPFIND', path: '/api/t/echo/x' },
  { method: 'PROPFIND', path: '/api/nowhere' },
  { path: '/api/nowhere' },
  { path: '/nowhere' },
  // errors thrown from actions
  { path: '/api/t/teapot' },
  { path: '/api/t/forbidden' },
  { path: '/api/t/bad' },
  { path: '/api/t/boom' },
  // authorization and the current user
  { path: '/api/t/guarded' },
  { path: '/api/t/guarded', headers: bob },
  { path: '/api/t/guarded', headers: { ...bob, 'x-async': '1' } },
  { path: '/api/t/admin', headers: bob },
  { path: '/api/t/admin', headers: { ...bob, 'x-async': '1' } },
  { path: '/api/t/admin', headers: alice },
  { path: '/api/t/me' },
  { path: '/api/t/me', headers: { 'x-async': '1' } },
  { path: '/api/t/me', headers: bob },
  { path: '/api/t/maybe' },
  { path: '/api/t/maybe', headers: { ...alice, 'x-async': '1' } },
  // precedence within and across controllers
  { path: '/api/p/me' },
  { path: '/api/p/42' },
  { path: '/api/x/special' },
  { path: '/api/x/thing' },
  { method: 'POST', path: '/api/x/thing' },
  { method: 'DELETE', path: '/api/x/thing' },
  { method: 'OPTIONS', path: '/api/x/thing' },
  { method: 'POST', path: '/api/x/other' },
  { path: '/api/y/1' },
  // what routing-controllers serves for m8
  { path: '/api/l/intercepted' },
  { path: '/api/l/intercepted-class' },
  { path: '/api/l/before' },
  { path: '/api/l/after' },
  { path: '/api/l/redirect' },
  { path: '/api/l/redirect-string' },
  { path: '/api/l/render' },
  { path: '/api/l/custom', headers: { 'x-custom': 'c' } },
  { path: '/api/l/cookie', headers: { cookie: 'sid=abc; theme=dark' } },
  { path: '/api/l/cookie' },
  { path: '/api/l/session' },
  { path: '/api/l/session-param' },
  { method: 'POST', path: '/api/l/upload', form: upload({ file: ['a.txt'] }) },
  { method: 'POST', path: '/api/l/uploads', form: upload({ files: ['a.txt', 'b.txt'] }) },
  { path: '/api/l/role-checker', headers: alice },
  { path: '/api/l/role-checker', headers: bob },
  { path: '/api/l/all' },
  { method: 'POST', path: '/api/l/all' },
  { method: 'DELETE', path: '/api/l/all' },
  { method: 'POST', path: '/api/l/items', json: [{ title: 'a' }] },
  { method: 'POST', path: '/api/l/item?n=2', json: { title: 'a' } },
  { method: 'POST', path: '/api/l/item?n=two', json: { title: 'a' } },
  { method: 'POST', path: '/api/l/item', json: { title: '' } },
  { path: '/api/l/filter?limit=x' },
  { path: '/api/l/filter?limit=0' },
  { path: '/api/l/required' },
  { path: '/api/l/required?q=1', headers: { 'x-n': 'no' } },
  { path: '/api/x/1' },
  { path: '/api/c/hello' },
  { path: '/api/c/object' },
];

const PARAM_ERRORS = new Set(['ParamRequiredError', 'ParamNormalizationError', 'ParameterParseJsonError']);

/** routing-controllers' 400 for a parameter or class-validator failure: m8 answers those 422 (difference 2). */
function isValidationFailure(answer: Answer): boolean {
  const body = answer.body as { name?: string; errors?: unknown } | undefined;
  return answer.status === 400 && typeof body === 'object' && body !== null && (PARAM_ERRORS.has(body.name ?? '') || Array.isArray(body.errors));
}

function expectSameAnswer(mine: Answer, theirs: Answer): void {
  if (theirs.status < 400) {
    expect(mine).toEqual(theirs);
    return;
  }
  // Difference 1: every error is m8's {"detail"} JSON; difference 2: parameter errors are 422.
  expect(mine.status).toBe(isValidationFailure(theirs) ? 422 : theirs.status);
  expect(mine.body).toEqual({ detail: expect.anything() });
  expect(mine.headers['allow']).toBe(theirs.headers['allow']);
  expect(mine.headers['location']).toBe(theirs.headers['location']);
}

const named = (probe: Probe): string => `${probe.method ?? 'GET'} ${probe.path} ${JSON.stringify(probe.headers ?? {})} ${JSON.stringify(probe.json ?? null)}`;

describe('bootstrap() answers as plain routing-controllers', () => {
  it.each(SAME.map((probe) => [named(probe), probe] as const))('%s', async (_name, probe) => {
    const [mine, theirs] = await Promise.all([send(m8.url, probe), send(plain.url, probe)]);
    expectSameAnswer(mine, theirs);
  });
});

describe("the compiled executor answers exactly as bootstrap() with routing: 'routing-controllers'", () => {
  it.each(SAME.filter((p) => p.form === undefined).map((probe) => [named(probe), probe] as const))('%s', async (_name, probe) => {
    const [mine, theirs] = await Promise.all([send(m8.url, probe), send(m8Legacy.url, probe)]);
    expect(mine).toEqual(theirs);
  });
});
