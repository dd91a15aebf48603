/**
 * Controllers using every decorator routing-controllers exports (its public index), served in the
 * differential suite both by bootstrap() and by plain routing-controllers on Koa. Declaration order
 * matters here: routing-controllers registers controllers in the order they are decorated.
 */
import {
  All, Authorized, Body, BodyParam, ContentType, Controller, CookieParam, CookieParams, Ctx, CurrentUser, Delete, Get, Head, Header, HeaderParam,
  HeaderParams, HttpCode, HttpError, JsonController, Location, Method, NotFoundError, ForbiddenError, BadRequestError, OnNull,
  OnUndefined, Param, Params, Patch, Post, Put, QueryParam, QueryParams, Redirect, Render, Req, Res, ResponseClassTransformOptions, Session,
  SessionParam, State, UploadedFile, UploadedFiles, UseAfter, UseBefore, UseInterceptor, createParamDecorator,
  type Action, type InterceptorInterface, type KoaMiddlewareInterface, type RoleChecker,
} from 'routing-controllers';
import { Exclude, Expose, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Min, MinLength, ValidateNested } from 'class-validator';
import type { Context } from 'koa';

export class Item {
  @IsString() @MinLength(1) title!: string;
  @IsOptional() @IsInt() qty?: number;
}

export class Order {
  @IsString() ref!: string;
  @ValidateNested() @Type(() => Item) item!: Item;
}

export class Filter {
  @IsOptional() @IsInt() @Min(1) limit?: number;
  @IsOptional() @IsBoolean() full?: boolean;
  @IsOptional() @IsString() q?: string;
}

export class CountHeaders {
  @IsOptional() @IsInt() 'x-count'?: number;
}

export class Secretive {
  id = 'a1';
  @Exclude() secret = 'hunter2';
  @Expose({ groups: ['admin'] }) note = 'admins only';
  created = new Date('2024-01-02T03:04:05.000Z');
}

class Teapot extends HttpError {
  constructor() {
    super(418, 'short and stout');
  }
}

const FromHeader = () => createParamDecorator({ value: (action: Action) => (action.context as Context).get('x-custom') ?? null });

/** A class middleware (not `@Middleware()`-decorated: that would make it global, see routing-differential-global.test.ts). */
export class StampBefore implements KoaMiddlewareInterface {
  async use(ctx: Context, next: () => Promise<unknown>): Promise<unknown> {
    ctx.set('X-Before', 'class');
    return next();
  }
}

export class WrapResult implements InterceptorInterface {
  intercept(_action: Action, result: unknown): unknown {
    return { wrapped: result };
  }
}

export class AdminsOnly implements RoleChecker {
  check(action: Action): boolean {
    return (action.context as Context).get('x-user') === 'alice';
  }
}

/** Everything the compiled executor serves. */
@JsonController('/t')
export class TypesController {
  @Get('/echo/:id')
  echo(@Param('id') id: string) {
    return { id };
  }

  @Get('/num/:n')
  num(@Param('n') n: number) {
    return { n, type: typeof n };
  }

  @Get('/params/:a/:b')
  params(@Params() all: Record<string, string>) {
    return all;
  }

  @Get('/scalars')
  scalars(@QueryParam('b') b: boolean, @QueryParam('s') s: string, @QueryParam('d') d: Date, @QueryParam('n') n: number) {
    return { b, s, d: d instanceof Date ? d.toISOString() : d, n };
  }

  @Get('/list')
  list(@QueryParam('ids', { isArray: true, type: Number }) ids: number[], @QueryParam('tags', { isArray: true }) tags: string[]) {
    return { ids, tags };
  }

  @Get('/required')
  required(@QueryParam('q', { required: true }) q: string) {
    return { q };
  }

  @Get('/json-query')
  jsonQuery(@QueryParam('item', { parse: true }) item: Item) {
    return { item, instance: item instanceof Item };
  }

  @Get('/filter')
  filter(@QueryParams() filter: Filter, @Ctx() ctx: Context) {
    return { filter, instance: filter instanceof Filter, queryLimit: typeof ctx.query['limit'], queryFull: typeof ctx.query['full'] };
  }

  @Get('/headers')
  headers(@HeaderParam('x-thing') thing: string, @HeaderParam('x-n') n: number, @HeaderParams() all: CountHeaders, @Req() req: { headers: Record<string, unknown> }) {
    return { thing, n, count: all['x-count'] ?? null, seen: typeof req.headers['x-count'] };
  }

  @Post('/item')
  create(@Body({ required: true }) item: Item) {
    return { item, instance: item instanceof Item };
  }

  @Post('/items')
  createMany(@Body({ type: Item }) items: Item[]) {
    return { count: items.length };
  }

  @Post('/order')
  order(@Body() order: Order) {
    return { ref: order.ref, title: order.item.title };
  }

  @Post('/body-param')
  bodyParam(@BodyParam('name', { required: true }) name: string, @BodyParam('count') count: number) {
    return { name, count };
  }

  @Post('/body-param-dto')
  bodyParamDto(@BodyParam('item') item: Item) {
    return { item, instance: item instanceof Item };
  }

  @Post('/raw')
  raw(@Body({ validate: false }) body: unknown) {
    return { body: body ?? null };
  }

  @Put('/put/:id')
  put(@Param('id') id: number, @Body() item: Item) {
    return { id, title: item.title };
  }

  @Patch('/patch/:id')
  patch(@Param('id') id: number, @Body() item: Item) {
    return { id, title: item.title };
  }

  @Delete('/gone')
  @OnUndefined(204)
  async gone() {}

  @Get('/undefined')
  nothing() {
    return undefined;
  }

  @Get('/null')
  nothingAtAll() {
    return null;
  }

  @Get('/null-202')
  @OnNull(202)
  nullAccepted() {
    return null;
  }

  @Get('/undefined-error')
  @OnUndefined(NotFoundError)
  undefinedError() {
    return undefined;
  }

  @Post('/created')
  @HttpCode(201)
  @Header('X-Custom', 'yes')
  @Location('/api/t/echo/1')
  created() {
    return { ok: true };
  }

  @Get('/text')
  @ContentType('text/plain')
  text() {
    return 'hello';
  }

  @Get('/bytes')
  bytes() {
    return new Uint8Array([104, 105]);
  }

  @Get('/secretive')
  secretive() {
    return new Secretive();
  }

  @Get('/secretive-admin')
  @ResponseClassTransformOptions({ groups: ['admin'] })
  secretiveAdmin() {
    return new Secretive();
  }

  @Get('/untransformed', { transformResponse: false })
  untransformed() {
    return { plain: true };
  }

  @Post('/untransformed-request', { transformRequest: false })
  untransformedRequest(@Body() item: Item) {
    return { instance: item instanceof Item };
  }

  @Method('put', '/method')
  method() {
    return { method: 'put' };
  }

  @Head('/head')
  head(@Res() res: { set(name: string, value: string): void }) {
    res.set('X-Custom', 'head');
    return {};
  }

  @Get('/context')
  context(@Ctx() ctx: Context, @Req() req: unknown, @Res() res: unknown, @State('who') who: string) {
    return { same: ctx.request === req && ctx.response === res, who: who ?? null };
  }

  @Get('/teapot')
  teapot() {
    throw new Teapot();
  }

  @Get('/forbidden')
  forbidden() {
    throw new ForbiddenError('no');
  }

  @Get('/bad')
  bad() {
    throw new BadRequestError('bad input');
  }

  @Get('/boom')
  async boom() {
    throw new Error('internal details');
  }

  @Authorized()
  @Get('/guarded')
  guarded() {
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
}

/** Precedence inside a controller: `/:id` declared before `/me` serves `/me`. */
@JsonController('/p')
export class PrecedenceController {
  @Get('/:id')
  byId(@Param('id') id: string) {
    return { by: 'id', id };
  }

  @Get('/me')
  me() {
    return { by: 'me' };
  }
}

/** Precedence across controllers: this one needs routing-controllers (@UseBefore) and comes first. */
@JsonController('/x')
@UseBefore(StampBefore)
export class CrossFirstController {
  @Get('/:id')
  byId(@Param('id') id: string) {
    return { by: 'id', id };
  }

  @Get('/thing')
  getThing() {
    return { thing: 'get' };
  }
}

@JsonController('/x')
export class CrossLaterController {
  @Get('/special')
  special() {
    return { by: 'special' };
  }

  @Post('/thing')
  postThing() {
    return { thing: 'post' };
  }
}

/** A compiled controller declared after a routing-controllers one on other paths stays compiled. */
@JsonController('/y')
export class UnrelatedController {
  @Get('/:id')
  byId(@Param('id') id: string) {
    return { by: 'y', id };
  }
}

/** One path, two executors: POST compiled (declared first), GET served by routing-controllers. */
@JsonController('/m')
export class MixedCompiledController {
  @Post('/thing')
  postThing() {
    return { thing: 'post' };
  }
}

@JsonController('/m')
export class MixedLegacyController {
  @Get('/thing')
  @UseInterceptor((_action: Action, result: unknown) => result)
  getThing() {
    return { thing: 'get' };
  }
}

/** Everything routing-controllers serves for m8. */
@JsonController('/l')
export class LegacyController {
  @Get('/intercepted')
  @UseInterceptor((_action: Action, result: unknown) => ({ intercepted: result }))
  intercepted() {
    return { a: 1 };
  }

  @Get('/intercepted-class')
  @UseInterceptor(WrapResult)
  interceptedClass() {
    return { b: 2 };
  }

  @Get('/before')
  @UseBefore(async (ctx: Context, next: () => Promise<unknown>) => {
    ctx.set('X-Before', 'fn');
    await next();
  })
  before() {
    return { before: true };
  }

  @Get('/after')
  @UseAfter(async (ctx: Context, next: () => Promise<unknown>) => {
    ctx.set('X-After', 'fn');
    await next();
  })
  after() {
    return { after: true };
  }

  @Get('/redirect')
  @Redirect('/api/t/echo/:id')
  redirect() {
    return { id: 'r1' };
  }

  @Get('/redirect-string')
  @Redirect('/api/t/echo/default')
  redirectString() {
    return '/api/t/echo/given';
  }

  @Get('/render')
  @Render('page')
  render() {
    return { page: 1 };
  }

  @Get('/custom')
  custom(@FromHeader() value: string) {
    return { value };
  }

  @Get('/cookie')
  cookie(@CookieParam('sid') sid: string, @CookieParam('count') count: number, @CookieParams() all: Record<string, string>) {
    return { sid: sid ?? null, count: count ?? null, all };
  }

  @Get('/session')
  session(@Session() session: unknown) {
    return { session: session ?? null };
  }

  @Get('/session-param')
  sessionParam(@SessionParam('user') user: unknown) {
    return { user };
  }

  @Post('/upload')
  upload(@UploadedFile('file') file: { originalname: string; size: number }) {
    return { name: file.originalname, size: file.size };
  }

  @Post('/uploads')
  uploads(@UploadedFiles('files') files: { originalname: string }[]) {
    return { names: files.map((f) => f.originalname) };
  }

  @Authorized(AdminsOnly)
  @Get('/role-checker')
  roleChecker() {
    return { ok: 'checked' };
  }

  @All('/all')
  all(@Req() req: { method: string }) {
    return { method: req.method };
  }

  @Post('/items')
  createMany(@Body({ type: Item }) items: Item[]) {
    return { count: items.length };
  }

  @Post('/item')
  @UseInterceptor((_action: Action, result: unknown) => result)
  create(@Body({ required: true }) item: Item, @QueryParam('n') n: number) {
    return { item, n: n ?? null };
  }

  @Get('/filter')
  @UseInterceptor((_action: Action, result: unknown) => result)
  filter(@QueryParams() filter: Filter) {
    return { filter };
  }

  @Get('/json-query')
  @UseInterceptor((_action: Action, result: unknown) => result)
  jsonQuery(@QueryParam('item', { parse: true }) item: Item) {
    return { item, instance: item instanceof Item };
  }

  @Get('/required')
  @UseInterceptor((_action: Action, result: unknown) => result)
  required(@QueryParam('q', { required: true }) q: string, @HeaderParam('x-n') _n: number) {
    return { q };
  }
}

/** A non-JSON controller: text answers. */
@Controller('/c')
export class TextController {
  @Get('/hello')
  hello() {
    return 'hello';
  }

  @Get('/object')
  object() {
    return { a: 1 };
  }
}

export const CONTROLLERS = [
  TypesController, PrecedenceController, CrossFirstController, CrossLaterController, UnrelatedController, MixedCompiledController, MixedLegacyController,
  LegacyController, TextController,
];

let constructed = 0;

/** Not in CONTROLLERS: counts its instances (m8 makes one per request). */
@JsonController('/instances')
export class InstanceController {
  private readonly serial = ++constructed;

  @Get('/')
  which() {
    return { serial: this.serial };
  }
}
