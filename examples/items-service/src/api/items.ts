/** Items: real CRUD on the database, each route guarded as the contract's example service is. */
import { Authorized, Body, CurrentUser, Delete, Get, HttpCode, JsonController, OnUndefined, Param, Patch, Post, QueryParam } from 'routing-controllers';
import { ResponseSchema } from '@m8/openapi';
import { inject, injectable } from 'tsyringe';
import { HttpProblem, RequestValidationProblem, SETTINGS } from '@m8/core';
import { Role, type UserModel } from '@m8/auth';
import { DbEngine } from '@m8/db';
import { Item } from '../models/item';
import type { Settings } from '../core/config';
import { CreateItem, ItemOut, UpdateItem } from './schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The response as its schema (`ItemOut`) declares it, built explicitly: what leaves the service is what the
 * API documents, never an entity's other state. Plain data also goes out as it is, where an entity would
 * take routing-controllers' reflective class-transformer pass (about a twentieth of this route's CPU).
 */
function itemOut(item: Item): ItemOut {
  return {
    id: item.id,
    title: item.title,
    description: item.description,
    ownerId: item.ownerId,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

/** A malformed id is the client's mistake (422), and must never reach a uuid column as SQL. */
function itemId(id: string): string {
  if (!UUID.test(id)) throw new RequestValidationProblem([{ loc: ['path', 'id'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' }]);
  return id.toLowerCase();
}

@injectable()
@JsonController('/items')
export class ItemsController {
  constructor(
    private readonly db: DbEngine,
    @inject(SETTINGS) private readonly settings: Settings,
  ) {}

  /** Any authenticated user. */
  @Authorized()
  @Get('/')
  @ResponseSchema(ItemOut, { isArray: true })
  async list(@QueryParam('limit') limit?: number): Promise<ItemOut[]> {
    const pageSize = Math.min(Math.max(Number(limit) || this.settings.ITEMS_PAGE_SIZE, 1), this.settings.ITEMS_PAGE_SIZE);
    const items = await this.db.em.find(Item, {}, { orderBy: { createdAt: 'desc' }, limit: pageSize });
    return items.map(itemOut);
  }

  @Authorized()
  @Get('/:id')
  @ResponseSchema(ItemOut)
  async one(@Param('id') id: string): Promise<ItemOut> {
    return itemOut(this.found(await this.db.em.findOne(Item, { id: itemId(id) })));
  }

  /** Writers and above. */
  @Authorized(Role.WRITER)
  @Post('/')
  @HttpCode(201)
  @ResponseSchema(ItemOut, { statusCode: 201 })
  async create(@CurrentUser({ required: true }) user: UserModel, @Body({ required: true }) body: CreateItem): Promise<ItemOut> {
    const item = this.db.em.create(Item, { title: body.title, description: body.description ?? null, ownerId: user.id });
    await this.db.em.flush();
    return itemOut(item);
  }

  @Authorized(Role.WRITER)
  @Patch('/:id')
  @ResponseSchema(ItemOut)
  async update(@Param('id') id: string, @Body({ required: true }) body: UpdateItem): Promise<ItemOut> {
    const item = this.found(await this.db.em.findOne(Item, { id: itemId(id) }));
    if (body.title !== undefined) item.title = body.title;
    if (body.description !== undefined) item.description = body.description;
    await this.db.em.flush();
    return itemOut(item);
  }

  /** Admins only. */
  @Authorized(Role.ADMIN)
  @Delete('/:id/admin')
  @OnUndefined(204)
  async remove(@Param('id') id: string): Promise<void> {
    const item = this.found(await this.db.em.findOne(Item, { id: itemId(id) }));
    await this.db.em.remove(item).flush();
  }

  private found(item: Item | null): Item {
    if (item === null) throw new HttpProblem(404, 'Item not found');
    return item;
  }
}
