// NestJS 11 (Express) + @nestjs/jwt + @mikro-orm/nestjs (request-scoped EntityManager through its
// RequestContext middleware): the second database peer of the example's `GET /api/items/`. Plain
// JS, so the decorators Nest reads are applied by hand (`design:paramtypes` written out).
'use strict';
require('reflect-metadata');
const { Controller, Get, HttpException, Injectable, Module, UseGuards } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { JwtModule, JwtService } = require('@nestjs/jwt');
const { MikroOrmModule } = require('@mikro-orm/nestjs');
const { EntityManager, PostgreSqlDriver } = require('@mikro-orm/postgresql');
const common = require('./lib/common');
const { Item, PAGE_SIZE, ormOptions } = require('./lib/items-entity');

const cfg = common.config();
const NOT_AUTHENTICATED = JSON.parse(common.NOT_AUTHENTICATED);
const INVALID = JSON.parse(common.INVALID);
const INACTIVE = JSON.parse(common.INACTIVE);

class AuthGuard {
  constructor(jwt) {
    this.jwt = jwt;
  }
  async canActivate(context) {
    const http = context.switchToHttp();
    const request = http.getRequest();
    const token = common.bearerToken(request.headers.authorization);
    if (token === undefined) {
      http.getResponse().setHeader('WWW-Authenticate', 'Bearer');
      throw new HttpException(NOT_AUTHENTICATED, 401);
    }
    let user;
    try {
      user = common.userFromClaims(await this.jwt.verifyAsync(token, { algorithms: [cfg.algorithm], clockTolerance: common.LEEWAY_SECONDS }));
    } catch {
      user = undefined;
    }
    if (user === undefined) {
      http.getResponse().setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new HttpException(INVALID, 401);
    }
    if (!user.isActive) throw new HttpException(INACTIVE, 403);
    request.user = user;
    return true;
  }
}
Reflect.defineMetadata('design:paramtypes', [JwtService], AuthGuard);
Injectable()(AuthGuard);

class ItemsController {
  constructor(em) {
    this.em = em;
  }
  list() {
    return this.em.find(Item, {}, { orderBy: { createdAt: 'desc' }, limit: PAGE_SIZE });
  }
}
Reflect.defineMetadata('design:paramtypes', [EntityManager], ItemsController);
const proto = ItemsController.prototype;
const descriptor = Object.getOwnPropertyDescriptor(proto, 'list');
UseGuards(AuthGuard)(proto, 'list', descriptor);
Get('/')(proto, 'list', descriptor);
Controller('api/items')(ItemsController);

class AppModule {}
Module({
  imports: [
    MikroOrmModule.forRoot(ormOptions(PostgreSqlDriver)),
    JwtModule.register(cfg.algorithm === 'HS256' ? { secret: cfg.secret } : { publicKey: cfg.publicKeyPem }),
  ],
  controllers: [ItemsController],
  providers: [AuthGuard],
})(AppModule);

async function main() {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(cfg.port, '127.0.0.1');
  common.exitOnSignals(() => app.close());
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
