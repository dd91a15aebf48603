import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authorized, Body, BodyParam, ContentType, createParamDecorator, Ctx, CurrentUser, Delete, Get, Header, HeaderParam, HeaderParams, HttpCode,
  JsonController, Location, OnNull, OnUndefined, Param, Params, Post, QueryParam, QueryParams, Req, Res, State, UseBefore, UseInterceptor,
  type Action,
} from 'routing-controllers';
import { Exclude } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Min } from 'class-validator';
import type { Context } from 'koa';
import { injectable } from 'tsyringe';
import { HttpProblem, type AuthProvider, type RoutingMode } from '@m8/core';
import { startTestApp, type TestApp } from '@m8/testing';

class CreateThing {
  @IsString() name!: string;
  @IsInt() @Min(1) count!: number;
}

class Paging {
  @IsInt() @Min(1) limit!: number;
  @IsOptional() @IsBoolean() full?: boolean;
}

class Account {
  constructor(
    readonly id: string,
    password: string,
  ) {
    this.password = password;
  }
  @Exclude() password: string;
}

const FromHeader = () => createParamDecorator({ value: (action: Action) => (action.context as Context).get('x-custom') });

@JsonController('/r')
class RoutesController {
  @Get('/')
  list() {
    return [{ id: 1 }];
  }

  @Get('/num/:n')
  num(@Param('n') n: number) {
    return { n, type: typeof n };
  }

  @Get('/scalars')
  scalars(@QueryParam('b') b: boolean, @QueryParam('s') s: string, @QueryParam('d') d: Date, @QueryParam('n') n: number) {
    return { b, s, d: d instanceof Date ? d.toISOString() : d, n };
  }

  @Get('/required')
  required(@QueryParam('q', { required: true }) q: string) {
    return { q };
  }

  @Get('/paging')
  paging(@QueryParams() paging: Paging) {
    return { paging, instance: paging instanceof Paging };
  }

  @Get('/params/:a/:b')
  params(@Params() all: Record<string, string>) {
    return all;
  }

  @Get('/headers')
  headers(@HeaderParam('X-Thing') thing: string, @HeaderParams() all: Record<string, string>) {
    return { thing, seen: all['x-thing'] };
  }

  @Post('/body')
  body(@Body({ required: true }) body: CreateThing) {
    return { name: body.name, count: body.count, instance: body instanceof CreateThing };
  }

  @Post('/body-param')
  bodyParam(@BodyParam('name', { required: true }) name: string, @BodyParam('count') count: number) {
    return { name, count };
  }

  @Get('/context')
  context(@Ctx() ctx: Context, @Req() req: unknown, @Res() res: unknown, @State('requestId') requestId: string) {
    const childContainer = (ctx.state as unknown as { child?: unknown }).child;
    return { same: ctx.request === req && ctx.response === res, requestId: requestId === ctx.get('x-request-id'), childContainer: childContainer !== undefined };
  }

  @Get('/undefined')
  nothing() {
    return undefined;
  }

  @Delete('/gone')
  @OnUndefined(204)
  async gone() {}

  @Get('/null')
  nothingAtAll() {
    return null;
  }

  @Get('/null-202')
  @OnNull(202)
  nullAccepted() {
    return null;
  }

  @Post('/created')
  @HttpCode(201)
  @Header('X-Custom', 'yes')
  @Location('/api/r/1')
  created() {
    return { ok: true };
  }

  @Get('/text')
  @ContentType('text/plain')
  text() {
    return 'hello';
  }

  @Get('/account')
  async account() {
    return new Account('a1', 'hunter2');
  }

  @Get('/accounts')
  accounts() {
    return { items: [new Account('a1', 'hunter2')], total: 1 };
  }

  @Get('/bytes')
  bytes() {
    return new Uint8Array([104, 105]);
  }

  @Get('/teapot')
  teapot() {
    throw new HttpProblem(418, 'short and stout');
  }
}

@JsonController('/auth')
class GuardedController {
  @Authorized()
  @Get('/any')
  any() {
    return { ok: true };
  }

  @Authorized('admin')
  @Get('/admin')
  admin() {
    return { ok: 'admin' };
  }

  @Get('/me')
  me(@CurrentUser({ required: true }) user: { id: string }) {
    return user;
  }

  @Get('/maybe')
  maybe(@CurrentUser() user?: { id: string }) {
    return { user: user ?? null };
  }

  @Authorized()
  @Post('/guarded-body')
  guardedBody(@Body({ required: true }) body: CreateThing) {
    return body;
  }
}

@JsonController('/legacy')
class LegacyController {
  @Get('/intercepted')
  @UseInterceptor((_action: Action, result: unknown) => ({ wrapped: result }))
  intercepted() {
    return { a: 1 };
  }

  @Get('/before')
  @UseBefore(async (ctx: Context, next: () => Promise<unknown>) => {
    ctx.set('X-Before', '1');
    await next();
  })
  before() {
    return { before: true };
  }

  @Get('/custom')
  custom(@FromHeader() value: string) {
    return { value };
  }

  @Get('/plain')
  plain() {
    return { plain: true };
  }
}

@injectable()
@JsonController('/overridden')
class OverriddenController {
  @Get('/')
  who() {
    return { who: 'real' };
  }
}

const USERS: Record<string, { id: string; roles: string[] }> = { alice: { id: 'alice', roles: ['admin'] }, bob: { id: 'bob', roles: [] } };

function userOf(action: Action): { id: string; roles: string[] } | undefined {
  return USERS[(action.context as Context).get('x-user')];
}

/** A tiny AuthProvider: `X-User: alice|bob`, `X-Async: 1` for promise answers, `X-User: boom` throws a 503. */
const fakeAuth: AuthProvider = {
  authorizationChecker(action, roles) {
    const ctx = action.context as Context;
    if (ctx.get('x-user') === 'boom') throw new HttpProblem(503, 'auth down');
    const user = userOf(action);
    if (!user) throw new HttpProblem(401, 'Not authenticated', { headers: { 'WWW-Authenticate': 'Bearer' } });
    const allowed = roles.every((role) => user.roles.includes(role));
    return ctx.get('x-async') ? Promise.resolve(allowed) : allowed;
  },
  currentUserChecker(action) {
    const user = userOf(action);
    return (action.context as Context).get('x-async') ? Promise.resolve(user) : user;
  },
};

const CONTROLLERS = [RoutesController, GuardedController, LegacyController, OverriddenController];

async function start(routing: RoutingMode): Promise<TestApp<never>> {
  const templates: string[] = [];
  const app = await startTestApp({
    controllers: CONTROLLERS,
    routing,
    plugins: [
      {
        name: 'auth-and-templates',
        setup: (context) => {
          context.authorize(fakeAuth);
          context.use('observe', async (ctx, next) => {
            try {
              await next();
            } finally {
              templates.push(`${ctx.method} ${ctx.path} → ${String(ctx.state.routeTemplate ?? (ctx as { _matchedRoute?: string })._matchedRoute)}`);
            }
          });
        },
      },
    ],
  });
  return Object.assign(app, { templates }) as unknown as TestApp<never>;
}

let fast: TestApp<never> & { templates: string[] };
let legacy: TestApp<never> & { templates: string[] };
beforeAll(async () => {
  fast = (await start('fast')) as typeof fast;
  legacy = (await start('routing-controllers')) as typeof legacy;
});
afterAll(async () => {
  await fast?.close();
  await legacy?.close();
});

interface Call {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

async function call(app: TestApp<never>, c: Call) {
  const res = await fetch(`${app.url}${c.path}`, {
    method: c.method ?? 'GET',
    headers: { 'x-request-id': 'req-1', ...(c.body !== undefined && { 'content-type': 'application/json' }), ...c.headers },
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
  });
  const text = await res.text();
  const headers: Record<string, string | null> = {};
  for (const name of ['content-type', 'allow', 'location', 'x-custom', 'x-before', 'www-authenticate']) headers[name] = res.headers.get(name);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers, body };
}

const CALLS: Call[] = [
  { path: '/api/r' },
  { path: '/api/r/' },
  { path: '/API/R/num/7' },
  { path: '/api/r/num/7' },
  { path: '/api/r/num/seven' },
  { path: '/api/r/scalars?b=true&s=x&d=2024-01-02T00:00:00.000Z&n=2.5' },
  { path: '/api/r/scalars?b=0' },
  { path: '/api/r/scalars?b=maybe' },
  { path: '/api/r/scalars?n=' },
  { path: '/api/r/scalars?d=never' },
  { path: '/api/r/required?q=1' },
  { path: '/api/r/required' },
  { path: '/api/r/required?q=' },
  { path: '/api/r/paging?limit=5&full=true' },
  { path: '/api/r/paging?limit=0' },
  { path: '/api/r/paging?limit=x' },
  { path: '/api/r/params/one/two%20three' },
  { path: '/API/r/Params/One/TWO' },
  { method: 'HEAD', path: '/api/r/num/7' },
  { method: 'OPTIONS', path: '/api/r/num/7' },
  { path: '/api/r/headers', headers: { 'X-Thing': 'thing' } },
  { method: 'POST', path: '/api/r/body', body: { name: 'n', count: 2 } },
  { method: 'POST', path: '/api/r/body', body: { name: 3, count: 0 } },
  { method: 'POST', path: '/api/r/body', body: {} },
  { method: 'POST', path: '/api/r/body' },
  { method: 'POST', path: '/api/r/body-param', body: { name: 'n', count: '3' } },
  { method: 'POST', path: '/api/r/body-param', body: { count: 3 } },
  { path: '/api/r/undefined' },
  { method: 'DELETE', path: '/api/r/gone' },
  { path: '/api/r/null' },
  { path: '/api/r/null-202' },
  { method: 'POST', path: '/api/r/created' },
  { path: '/api/r/text' },
  { path: '/api/r/account' },
  { path: '/api/r/accounts' },
  { path: '/api/r/bytes' },
  { path: '/api/r/teapot' },
  { method: 'POST', path: '/api/r/num/7' },
  { method: 'DELETE', path: '/api/r/' },
  { path: '/api/nowhere' },
  { path: '/api/auth/any' },
  { path: '/api/auth/any', headers: { 'x-user': 'bob' } },
  { path: '/api/auth/any', headers: { 'x-user': 'bob', 'x-async': '1' } },
  { path: '/api/auth/any', headers: { 'x-user': 'boom' } },
  { path: '/api/auth/admin', headers: { 'x-user': 'bob' } },
  { path: '/api/auth/admin', headers: { 'x-user': 'bob', 'x-async': '1' } },
  { path: '/api/auth/admin', headers: { 'x-user': 'alice' } },
  { path: '/api/auth/me' },
  { path: '/api/auth/me', headers: { 'x-async': '1' } },
  { path: '/api/auth/me', headers: { 'x-user': 'bob' } },
  { path: '/api/auth/maybe' },
  { path: '/api/auth/maybe', headers: { 'x-user': 'alice', 'x-async': '1' } },
  { method: 'POST', path: '/api/auth/guarded-body', body: {} },
  { path: '/api/legacy/intercepted' },
  { path: '/api/legacy/before' },
  { path: '/api/legacy/custom', headers: { 'x-custom': 'c' } },
  { path: '/api/legacy/plain' },
  { path: '/api/overridden' },
];

describe('fast routing answers exactly as routing-controllers', () => {
  it.each(CALLS.map((c) => [`${c.method ?? 'GET'} ${c.path} ${JSON.stringify(c.headers ?? {})}`, c] as const))('%s', async (_name, c) => {
    const [mine, theirs] = await Promise.all([call(fast, c), call(legacy, c)]);
    expect(mine).toEqual(theirs);
  });
});

describe('fast routing', () => {
  it('converts parameters from their reflected types', async () => {
    expect((await call(fast, { path: '/api/r/num/7' })).body).toEqual({ n: 7, type: 'number' });
    expect((await call(fast, { path: '/api/r/scalars?b=true&s=x&n=2.5' })).body).toEqual({ b: true, s: 'x', n: 2.5 });
    expect((await call(fast, { path: '/api/r/paging?limit=5&full=true' })).body).toEqual({ paging: { limit: 5, full: true }, instance: true });
  });

  it('answers bad parameters with 422 in the FastAPI shape', async () => {
    const bad = await call(fast, { path: '/api/r/num/seven' });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ detail: [{ loc: ['path', 'n'], msg: expect.stringContaining('cannot be parsed into number'), type: 'value_error' }] });
    const missing = await call(fast, { path: '/api/r/required' });
    expect(missing.body).toEqual({ detail: [{ loc: ['query', 'q'], msg: 'Query parameter "q" is required for request on GET /api/r/required', type: 'missing' }] });
    const invalid = await call(fast, { method: 'POST', path: '/api/r/body', body: { name: 3, count: 0 } });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toEqual({
      detail: [
        { loc: ['body', 'name'], msg: 'name must be a string', type: 'isString' },
        { loc: ['body', 'count'], msg: 'count must not be less than 1', type: 'min' },
      ],
    });
    const empty = await call(fast, { method: 'POST', path: '/api/r/body' });
    expect(empty.status).toBe(422);
  });

  it('writes results: codes, headers, 404 for undefined, 204 for null, entities through class-transformer', async () => {
    const created = await call(fast, { method: 'POST', path: '/api/r/created' });
    expect(created).toMatchObject({ status: 201, body: { ok: true }, headers: { 'x-custom': 'yes', location: '/api/r/1' } });
    expect((await call(fast, { path: '/api/r/undefined' })).status).toBe(404);
    expect((await call(fast, { method: 'DELETE', path: '/api/r/gone' })).status).toBe(204);
    expect((await call(fast, { path: '/api/r/null' })).status).toBe(204);
    expect((await call(fast, { path: '/api/r/null-202' })).status).toBe(202);
    expect(await call(fast, { path: '/api/r/text' })).toMatchObject({ body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect((await call(fast, { path: '/api/r/account' })).body).toEqual({ id: 'a1' });
    expect((await call(fast, { path: '/api/r/accounts' })).body).toEqual({ items: [{ id: 'a1' }], total: 1 });
  });

  it('calls the auth provider as routing-controllers does: throws propagate, false is 401 or 403', async () => {
    expect(await call(fast, { path: '/api/auth/any' })).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Bearer' } });
    expect((await call(fast, { path: '/api/auth/any', headers: { 'x-user': 'boom' } })).status).toBe(503);
    expect((await call(fast, { path: '/api/auth/admin', headers: { 'x-user': 'bob' } })).status).toBe(403);
    expect((await call(fast, { path: '/api/auth/admin', headers: { 'x-user': 'alice', 'x-async': '1' } })).status).toBe(200);
    expect((await call(fast, { path: '/api/auth/me' })).status).toBe(401);
    expect((await call(fast, { path: '/api/auth/maybe' })).body).toEqual({ user: null });
    // The guard runs before the body is looked at.
    expect((await call(fast, { method: 'POST', path: '/api/auth/guarded-body', body: {} })).status).toBe(401);
  });

  it('hands actions using unsupported features to routing-controllers, and keeps serving the rest', async () => {
    expect((await call(fast, { path: '/api/legacy/intercepted' })).body).toEqual({ wrapped: { a: 1 } });
    expect((await call(fast, { path: '/api/legacy/before' })).headers['x-before']).toBe('1');
    expect((await call(fast, { path: '/api/legacy/custom', headers: { 'x-custom': 'c' } })).body).toEqual({ value: 'c' });
    expect((await call(fast, { path: '/api/legacy/plain' })).body).toEqual({ plain: true });
  });

  it('names routes by their template, trailing slash or not', async () => {
    fast.templates.length = 0;
    await call(fast, { path: '/api/r/' });
    await call(fast, { path: '/api/r' });
    await call(fast, { path: '/api/r/num/7' });
    await call(fast, { path: '/api/auth/any' });
    await call(fast, { path: '/api/nowhere' });
    expect(fast.templates).toEqual([
      'GET /api/r/ → /api/r',
      'GET /api/r → /api/r',
      'GET /api/r/num/7 → /api/r/num/:n',
      'GET /api/auth/any → /api/auth/any',
      'GET /api/nowhere → undefined',
    ]);
  });

  it('answers 405 with Allow for a known path under another method', async () => {
    expect(await call(fast, { method: 'POST', path: '/api/r/num/7' })).toMatchObject({ status: 405, headers: { allow: 'HEAD, GET' } });
  });

  it('news a controller without constructor parameters, with no request container', async () => {
    expect((await call(fast, { path: '/api/r/context' })).body).toEqual({ same: true, requestId: true, childContainer: false });
  });
});

describe('a registration for a controller class', () => {
  it('is honoured even when its constructor takes nothing', async () => {
    const t = await startTestApp({
      controllers: [OverriddenController],
      overrides: (c) => c.register(OverriddenController, { useValue: { who: () => ({ who: 'double' }) } as unknown as OverriddenController }),
    });
    try {
      expect((await call(t as TestApp<never>, { path: '/api/overridden' })).body).toEqual({ who: 'double' });
    } finally {
      await t.close();
    }
  });
});
