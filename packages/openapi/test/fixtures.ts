/**
 * A representative service: public and protected routes (plain, with roles, at class level, through
 * `@CurrentUser()`), a required body class with validation, a body that is required only by its
 * class, params, a response class, nested classes, an inherited action, and classes that must NOT
 * reach the document (an unmounted controller, an unused DTO).
 */
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Length, MaxLength, Min, ValidateNested } from 'class-validator';
import { Authorized, Body, CurrentUser, Delete, Get, HttpCode, JsonController, OnUndefined, Param, Patch, Post, QueryParam } from 'routing-controllers';
import { buildAuthDeps, Role, type UserModel } from '@m8/auth';
import type { ConsumerServiceSettings, InternalRoute } from '@m8/core';
import { createTestSettings, startTestApp, TEST_SECRET_KEY, TokenFactory, type TestApp } from '@m8/testing';
import { openapi, ResponseSchema, type OpenApiOptions } from '../src';

export class Tag {
  @IsString() @Length(1, 30) label!: string;
}

export class CreateItem {
  @IsString() @Length(1, 200) title!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Tag) tags?: Tag[];
}

export class UpdateItem {
  @IsOptional() @IsString() @Length(1, 200) title?: string;
}

export class ItemOut {
  @IsUUID() id!: string;
  @IsString() title!: string;
  @IsOptional() @IsString() description?: string;
}

export class CreateNote {
  @IsString() text!: string;
}

export class CatalogEntry {
  @IsString() slug!: string;
  @IsInt() @Min(0) stock!: number;
}

/** Has validation metadata but no route uses it: must stay out of the document. */
export class UnusedPayload {
  @IsString() secretThing!: string;
}

@JsonController('/catalog')
export class CatalogController {
  @Get('/')
  @ResponseSchema(CatalogEntry, { isArray: true })
  list(@QueryParam('limit') limit?: number): CatalogEntry[] {
    return [{ slug: 'tea', stock: Math.min(limit ?? 10, 10) }];
  }

  @Get('/:slug')
  @ResponseSchema(CatalogEntry)
  one(@Param('slug') slug: string): CatalogEntry {
    return { slug, stock: 1 };
  }

  /** Public, with a body whose class has a required property but no `{ required: true }`. */
  @Post('/notes')
  note(@Body() body: CreateNote): { text: string } {
    return { text: body.text };
  }
}

@JsonController('/items')
export class ItemsController {
  @Authorized()
  @Get('/')
  @ResponseSchema(ItemOut, { isArray: true })
  list(): ItemOut[] {
    return [];
  }

  @Authorized(Role.WRITER)
  @Post('/')
  @HttpCode(201)
  @ResponseSchema(ItemOut, { statusCode: 201 })
  create(@CurrentUser({ required: true }) user: UserModel, @Body({ required: true }) body: CreateItem): ItemOut {
    return { id: user.id, title: body.title };
  }

  /** Every property optional: the body really is optional. */
  @Authorized(Role.WRITER)
  @Patch('/:id')
  update(@Param('id') id: string, @Body() body: UpdateItem): { id: string; title?: string } {
    return { id, title: body?.title };
  }

  @Authorized([Role.ADMIN])
  @Delete('/:id/admin')
  @OnUndefined(204)
  remove(@Param('id') _id: string): void {}
}

@Authorized(Role.ADMIN)
@JsonController('/admin')
export class AdminController {
  @Post('/reindex')
  reindex(): { status: string } {
    return { status: 'started' };
  }
}

@JsonController('/me')
export class MeController {
  /** No @Authorized: the @CurrentUser() parameter is what protects it. */
  @Get('/')
  me(@CurrentUser() user: UserModel): { email: string } {
    return { email: user.email };
  }
}

export class VersionedBase {
  @Get('/version')
  version(): { version: number } {
    return { version: 2 };
  }
}

@JsonController('/inherited')
export class InheritedController extends VersionedBase {}

/** Decorated, but never mounted by the app under test. */
@JsonController('/elsewhere')
export class UnmountedController {
  @Post('/')
  create(@Body({ required: true }) body: UnusedPayload): UnusedPayload {
    return body;
  }
}

export const CONTROLLERS = [CatalogController, ItemsController, AdminController, MeController, InheritedController];

export interface DocsAppOptions {
  readonly settings?: Record<string, unknown>;
  readonly options?: OpenApiOptions;
  /** Pass the plugin explicitly (default) or leave it to core. */
  readonly plugin?: boolean;
  /**
   * Also answer `POST /auth/login/access-token` like the issuer (any username, an admin token for
   * it), so Swagger UI's Authorize can be driven end to end without another origin.
   */
  readonly login?: boolean;
}

/** The issuer's login, as an internal route of the service: `{ access_token, token_type }`. */
function fakeLogin(): InternalRoute {
  const tokens = TokenFactory.hs256(TEST_SECRET_KEY);
  return {
    method: 'POST',
    paths: ['/auth/login/access-token'],
    template: '/auth/login/access-token',
    handler: async (ctx) => {
      let form = '';
      for await (const chunk of ctx.req) form += String(chunk);
      const username = new URLSearchParams(form).get('username') ?? '';
      ctx.body = { access_token: tokens.mint({ email: username, role: 'admin' }), token_type: 'bearer' };
    },
  };
}

/** The representative service, listening on an ephemeral port, docs plugin given explicitly. */
export async function startDocsApp(opts: DocsAppOptions = {}): Promise<TestApp<ConsumerServiceSettings>> {
  const settings = createTestSettings({ PROJECT_NAME: 'Items <Service>', ...opts.settings });
  return startTestApp({
    settings,
    controllers: CONTROLLERS,
    serviceVersion: '1.2.3',
    plugins: [
      buildAuthDeps(settings),
      {
        // An internal route like health's: served, but never part of the document.
        name: 'internal-routes',
        setup: (app) => {
          app.route({ method: 'GET', paths: ['/api/health/'], template: '/api/health/', handler: (ctx) => void (ctx.body = { status: 'ok' }) });
          if (opts.login) app.route(fakeLogin());
        },
      },
      ...(opts.plugin === false ? [] : [openapi(opts.options)]),
    ],
  });
}
