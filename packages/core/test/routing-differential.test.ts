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

function manyKeys(count: number): Record<string, number> {
  const keys: Record<string, number> = {};
  for (let i = 0; i < count; i++) keys[`k${i}`] = i;
  return keys;
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
  { method: 'POST', path: '/api/t/body-param-dto', json: { item: { title: 'a' } } },
  { method: 'POST', path: '/api/t/body-param-dto', json: { item: { title: '' } } },
  { method: 'POST', path: '/api/t/body-param-dto', json: {} },
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
  { path: '/api/m/thing' },
  { method: 'POST', path: '/api/m/thing' },
  { method: 'DELETE', path: '/api/m/thing' },
  { method: 'OPTIONS', path: '/api/m/thing' },
  { method: 'PUT', path: '/api/m/th%69ng' },
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
  { path: '/api/l/cookie', headers: { cookie: 'count=7' } },
  { path: '/api/l/cookie', headers: { cookie: 'count=seven' } },
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
  { path: '/api/l/json-query?item=%7B%22title%22%3A%22a%22%7D' },
  { path: '/api/l/json-query?item=%7B%22title%22%3A%22%22%7D' },
  { path: '/api/l/json-query?item=notjson' },
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

async function detail(base: string, probe: Probe): Promise<unknown> {
  const answer = await send(base, probe);
  expect(answer.status).toBe(422);
  return (answer.body as { detail: unknown }).detail;
}

describe("m8's deliberate differences (packages/core/README.md, one test each)", () => {
  it('1. errors answer {"detail"} JSON, never routing-controllers\' error object (name, message, stack)', async () => {
    const [mine, theirs] = await Promise.all([send(m8.url, { path: '/api/t/teapot' }), send(plain.url, { path: '/api/t/teapot' })]);
    expect(mine).toMatchObject({ status: 418, body: { detail: 'short and stout' } });
    expect(theirs).toMatchObject({ status: 418, body: { name: 'HttpError', message: 'short and stout' } });
    expect(await send(m8.url, { path: '/api/t/undefined-error' })).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
    expect(await send(m8.url, { path: '/api/t/boom' })).toMatchObject({ status: 500, body: { detail: 'Internal Server Error' } });
    expect(await send(plain.url, { path: '/api/nowhere' })).toMatchObject({ status: 404, body: 'Not Found' });
    expect(await send(m8.url, { path: '/api/nowhere' })).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
  });

  it('2. parameter and validation errors are 422s whose loc names where the value came from', async () => {
    const theirs = await send(plain.url, { path: '/api/t/num/seven' });
    expect(theirs).toMatchObject({ status: 400, body: { name: 'ParamNormalizationError' } });
    expect(await detail(m8.url, { path: '/api/t/num/seven' })).toEqual([
      { loc: ['path', 'n'], msg: 'Given parameter n is invalid. Value ("seven") cannot be parsed into number.', type: 'value_error' },
    ]);
    for (const served of [m8, m8Legacy]) {
      expect(await detail(served.url, { path: '/api/t/required' })).toEqual([
        { loc: ['query', 'q'], msg: 'Query parameter "q" is required for request on GET /api/t/required', type: 'missing' },
      ]);
      expect(await detail(served.url, { path: '/api/t/filter?limit=x' })).toEqual([
        { loc: ['query', 'limit'], msg: 'Given parameter limit is invalid. Value ("x") cannot be parsed into number.', type: 'value_error' },
      ]);
      expect(await detail(served.url, { path: '/api/t/filter?limit=0' })).toEqual([{ loc: ['query', 'limit'], msg: 'limit must not be less than 1', type: 'min' }]);
      expect(await detail(served.url, { path: '/api/t/json-query?item=notjson' })).toEqual([
        { loc: ['query', 'item'], msg: 'Given parameter item is invalid. Value ("notjson") cannot be parsed into JSON.', type: 'json_invalid' },
      ]);
      expect(await detail(served.url, { path: '/api/t/headers', headers: { 'x-n': 'three' } })).toEqual([
        { loc: ['header', 'x-n'], msg: 'Given parameter x-n is invalid. Value ("three") cannot be parsed into number.', type: 'value_error' },
      ]);
      expect(await detail(served.url, { path: '/api/t/headers', headers: { 'x-count': 'five' } })).toEqual([
        { loc: ['header', 'x-count'], msg: 'Given parameter x-count is invalid. Value ("five") cannot be parsed into number.', type: 'value_error' },
      ]);
      expect(await detail(served.url, { method: 'POST', path: '/api/t/item', json: { title: '', qty: 'x' } })).toEqual([
        { loc: ['body', 'title'], msg: 'title must be longer than or equal to 1 characters', type: 'minLength' },
        { loc: ['body', 'qty'], msg: 'qty must be an integer number', type: 'isInt' },
      ]);
      expect(await detail(served.url, { method: 'POST', path: '/api/t/order', json: { ref: 'r', item: { title: '' } } })).toEqual([
        { loc: ['body', 'item', 'title'], msg: 'title must be longer than or equal to 1 characters', type: 'minLength' },
      ]);
      expect(await detail(served.url, { method: 'POST', path: '/api/t/body-param', json: { count: 3 } })).toEqual([
        { loc: ['body', 'name'], msg: 'Body parameter "name" is required for request on POST /api/t/body-param', type: 'missing' },
      ]);
      expect(await detail(served.url, { method: 'POST', path: '/api/t/body-param', json: { name: 'n', count: 'many' } })).toEqual([
        { loc: ['body', 'count'], msg: 'Given parameter count is invalid. Value ("many") cannot be parsed into number.', type: 'value_error' },
      ]);
    }
    expect(await detail(m8.url, { method: 'POST', path: '/api/t/body-param-dto', json: { item: { title: '' } } })).toEqual([
      { loc: ['body', 'item', 'title'], msg: 'title must be longer than or equal to 1 characters', type: 'minLength' },
    ]);
    // The controller routing-controllers serves for m8 gives the same loc.
    expect(await detail(m8.url, { path: '/api/l/cookie', headers: { cookie: 'count=seven' } })).toEqual([
      { loc: ['cookie', 'count'], msg: 'Given parameter count is invalid. Value ("seven") cannot be parsed into number.', type: 'value_error' },
    ]);
    expect(await detail(m8.url, { path: '/api/l/filter?limit=x' })).toEqual([
      { loc: ['query', 'limit'], msg: 'Given parameter limit is invalid. Value ("x") cannot be parsed into number.', type: 'value_error' },
    ]);
    expect(await detail(m8.url, { path: '/api/l/filter?limit=0' })).toEqual([{ loc: ['query', 'limit'], msg: 'limit must not be less than 1', type: 'min' }]);
    expect(await detail(m8.url, { path: '/api/l/json-query?item=notjson' })).toEqual([
      { loc: ['query', 'item'], msg: 'Given parameter item is invalid. Value ("notjson") cannot be parsed into JSON.', type: 'json_invalid' },
    ]);
    expect(await detail(m8.url, { path: '/api/l/required' })).toEqual([
      { loc: ['query', 'q'], msg: 'Query parameter "q" is required for request on GET /api/l/required', type: 'missing' },
    ]);
    expect(await detail(m8.url, { path: '/api/l/required?q=1', headers: { 'x-n': 'no' } })).toEqual([
      { loc: ['header', 'x-n'], msg: 'Given parameter x-n is invalid. Value ("no") cannot be parsed into number.', type: 'value_error' },
    ]);
    expect(await detail(m8.url, { method: 'POST', path: '/api/l/item?n=two', json: { title: 'a' } })).toEqual([
      { loc: ['query', 'n'], msg: 'Given parameter n is invalid. Value ("two") cannot be parsed into number.', type: 'value_error' },
    ]);
    expect(await detail(m8.url, { method: 'POST', path: '/api/l/item', json: { title: '' } })).toEqual([
      { loc: ['body', 'title'], msg: 'title must be longer than or equal to 1 characters', type: 'minLength' },
    ]);
  });

  it('3. properties a DTO does not declare are dropped (whitelist), on both executors', async () => {
    const probe = { method: 'POST', path: '/api/t/item', json: { title: 'a', extra: 1 } };
    expect((await send(plain.url, probe)).body).toEqual({ item: { title: 'a', extra: 1 }, instance: true });
    expect((await send(m8.url, probe)).body).toEqual({ item: { title: 'a' }, instance: true });
    expect((await send(m8.url, { ...probe, path: '/api/l/item' })).body).toEqual({ item: { title: 'a' }, n: null });
  });

  it('3. a body of 100,000 unknown keys is whitelisted, on both executors', async () => {
    const json = { title: 'a', ...manyKeys(100_000) };
    expect(await send(m8.url, { method: 'POST', path: '/api/t/item', json })).toMatchObject({ status: 200, body: { item: { title: 'a' }, instance: true } });
    expect(await send(m8.url, { method: 'POST', path: '/api/l/item', json })).toMatchObject({ status: 200, body: { item: { title: 'a' }, n: null } });
    // In a nested DTO too.
    const nested = { ref: 'r', item: { title: 't', ...manyKeys(100_000) } };
    expect(await send(m8.url, { method: 'POST', path: '/api/t/order', json: nested })).toMatchObject({ status: 200, body: { ref: 'r', title: 't' } });
  });

  it('4. with validation: { forbidNonWhitelisted: true } they are refused, each named, on both executors', async () => {
    const strict = await startM8({ validation: { forbidNonWhitelisted: true } });
    try {
      for (const path of ['/api/t/item', '/api/l/item']) {
        expect(await detail(strict.url, { method: 'POST', path, json: { title: 'a', extra: 1, more: 2 } })).toEqual([
          { loc: ['body', 'extra'], msg: 'property extra should not exist', type: 'whitelistValidation' },
          { loc: ['body', 'more'], msg: 'property more should not exist', type: 'whitelistValidation' },
        ]);
        expect((await send(strict.url, { method: 'POST', path, json: { title: 'a' } })).status).toBe(200);
      }
      expect(await detail(strict.url, { method: 'POST', path: '/api/t/order', json: { ref: 'r', item: { title: 't', x: 1 } } })).toEqual([
        { loc: ['body', 'item', 'x'], msg: 'property x should not exist', type: 'whitelistValidation' },
      ]);
      // At most 20 are named, however many were sent.
      const many = await detail(strict.url, { method: 'POST', path: '/api/t/item', json: { title: 'a', ...manyKeys(1000) } });
      expect(many).toHaveLength(20);
      expect((many as { loc: unknown[] }[])[19]!.loc).toEqual(['body', 'k19']);
    } finally {
      await strict.close();
    }
  });

  it('5. an array where a DTO object is declared is a 422 (routing-controllers hands it over unvalidated)', async () => {
    const probe = { method: 'PATCH', path: '/api/t/patch/4', json: [{ title: '' }] };
    expect(await send(plain.url, probe)).toMatchObject({ status: 200, body: { id: 4 } });
    const shape = [{ loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type' }];
    expect(await detail(m8.url, probe)).toEqual(shape);
    expect(await detail(m8Legacy.url, probe)).toEqual(shape);
    expect(await detail(m8.url, { method: 'POST', path: '/api/l/item', json: [{ title: 'a' }] })).toEqual(shape);
    // A JSON query parameter typed with a DTO, on both executors.
    for (const path of ['/api/t/json-query', '/api/l/json-query']) {
      expect(await detail(m8.url, { path: `${path}?item=${encodeURIComponent('[{"title":"a"}]')}` })).toEqual([{ ...shape[0], loc: ['query', 'item'] }]);
      expect(await detail(m8.url, { path: `${path}?item=${encodeURIComponent('"a"')}` })).toEqual([{ ...shape[0], loc: ['query', 'item'] }]);
    }
    // @BodyParam with a DTO type: the same rule at its place in the body.
    const param = { method: 'POST', path: '/api/t/body-param-dto', json: { item: [{ title: 'a' }] } };
    expect(await send(plain.url, param)).toMatchObject({ status: 200, body: { item: [{ title: 'a' }], instance: false } });
    expect(await detail(m8.url, param)).toEqual([{ ...shape[0], loc: ['body', 'item'] }]);
    expect(await detail(m8.url, { ...param, json: { item: 5 } })).toEqual([{ ...shape[0], loc: ['body', 'item'] }]);
  });

  it('6. an array of DTOs is validated element by element; its elements are DTO instances', async () => {
    const probe = { method: 'POST', path: '/api/t/items', json: [{ title: 'a' }, { title: '' }] };
    expect(await send(plain.url, probe)).toMatchObject({ status: 200, body: { count: 2 } });
    const issues = [{ loc: ['body', 1, 'title'], msg: 'title must be longer than or equal to 1 characters', type: 'minLength' }];
    for (const served of [m8, m8Legacy]) {
      expect(await detail(served.url, probe)).toEqual(issues);
      expect(await detail(served.url, { ...probe, path: '/api/l/items' })).toEqual(issues);
      expect(await detail(served.url, { method: 'POST', path: '/api/t/items', json: { title: 'a' } })).toEqual([
        { loc: ['body'], msg: 'Input should be a valid list', type: 'list_type' },
      ]);
      expect(await detail(served.url, { method: 'POST', path: '/api/t/items', json: [{ title: 'a' }, 'b'] })).toEqual([
        { loc: ['body', 1], msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type' },
      ]);
    }
  });

  it('7. a body that is not JSON is a 422 json_invalid (routing-controllers: 400 from its body parser)', async () => {
    const probe = { method: 'POST', path: '/api/t/item', headers: { 'content-type': 'application/json' } };
    const broken = async (base: string) => {
      const res = await fetch(`${base}${probe.path}`, { method: 'POST', headers: probe.headers, body: '{"title":' });
      return { status: res.status, text: await res.text() };
    };
    expect((await broken(plain.url)).status).toBe(400);
    const mine = await broken(m8.url);
    expect(mine.status).toBe(422);
    expect(JSON.parse(mine.text)).toEqual({ detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
  });

  it('8. controllers are instantiated per request (routing-controllers\' own container keeps one per class)', async () => {
    const { InstanceController } = await import('./differential/controllers');
    const served = await startM8({ controllers: [InstanceController] });
    try {
      const first = (await send(served.url, { path: '/api/instances' })).body as { serial: number };
      const second = (await send(served.url, { path: '/api/instances' })).body as { serial: number };
      expect(second.serial).toBe(first.serial + 1);
    } finally {
      await served.close();
    }
  });
});

describe('which executor serves what', () => {
  const find = (served: M8Served, action: string) => served.app.routes.find((route) => route.action === action);

  it('lists every action with its executor and, for routing-controllers, the reason', () => {
    expect(find(m8, 'TypesController.echo')).toEqual({ method: 'GET', path: '/api/t/echo/:id', action: 'TypesController.echo', executor: 'compiled' });
    expect(find(m8, 'UnrelatedController.byId')?.executor).toBe('compiled');
    expect(find(m8, 'TextController.hello')?.executor).toBe('compiled');
    expect(find(m8, 'PrecedenceController.me')).toEqual({
      method: 'GET',
      path: '/api/p/me',
      action: 'PrecedenceController.me',
      executor: 'routing-controllers',
      reason:
        'find-my-way would prefer PrecedenceController.me (GET /api/p/me) to the earlier PrecedenceController.byId (GET /api/p/:id); routing-controllers serves the first declared',
    });
    expect(find(m8, 'PrecedenceController.byId')?.reason).toBe(find(m8, 'PrecedenceController.me')?.reason);
    expect(find(m8, 'CrossLaterController.special')?.reason).toBe(
      'CrossLaterController.special (GET /api/x/special) is declared after CrossFirstController.byId (GET /api/x/:id), served by routing-controllers, on paths both match',
    );
    expect(find(m8, 'CrossLaterController.postThing')?.executor).toBe('routing-controllers');
    expect(find(m8, 'CrossFirstController.byId')?.reason).toBe('CrossFirstController.byId uses @UseBefore/@UseAfter');
    expect(find(m8, 'LegacyController.upload')?.executor).toBe('routing-controllers');
    expect(find(m8, 'MixedCompiledController.postThing')?.executor).toBe('compiled');
    expect(find(m8, 'MixedLegacyController.getThing')?.executor).toBe('routing-controllers');
    expect(find(m8, 'LegacyController.all')).toMatchObject({ method: 'ALL', path: '/api/l/all', executor: 'routing-controllers' });
    expect(m8Legacy.app.routes.every((route) => route.executor === 'routing-controllers' && route.reason === "routing: 'routing-controllers'")).toBe(true);
  });

  it('answers 405 with every method of the path in Allow, whichever executor serves them', async () => {
    expect(await send(m8.url, { method: 'DELETE', path: '/api/m/thing' })).toMatchObject({ status: 405, headers: { allow: 'POST, HEAD, GET' } });
  });

  it('adds one middleware to the pipeline, the routing stage, even with routing-controllers serving some actions', () => {
    const names = (m8.app.koa as unknown as { middleware: { name: string }[] }).middleware.map((m) => m.name);
    expect(names).toEqual(['requestState', 'requestId', 'accessLog', 'securityHeaders', 'cors', 'errorLayer', 'internalRoutes', 'jsonBody', '', 'routing']);
  });

  it('logs one debug line per action at start', () => {
    const lines = m8.lines.filter((line) => line.event === 'route');
    expect(lines).toHaveLength(m8.app.routes.length);
    expect(lines.find((line) => line.action === 'TypesController.echo')).toMatchObject({
      level: 'debug',
      method: 'GET',
      path: '/api/t/echo/:id',
      executor: 'compiled',
      msg: 'GET /api/t/echo/:id → TypesController.echo: compiled',
    });
    expect(lines.find((line) => line.action === 'PrecedenceController.me')).toMatchObject({ executor: 'routing-controllers', reason: expect.stringContaining('find-my-way would prefer') });
  });
});
