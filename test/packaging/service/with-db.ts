// Step d: + @m8/db on embedded SQLite (DB_DATABASE is a file the test chose): a write and a read.
import 'reflect-metadata';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Body, Get, HttpCode, JsonController, Post } from 'routing-controllers';
import { inject, injectable } from 'tsyringe';
import { bootstrap, ConsumerServiceSettings } from '@m8/core';
import { createDbEngine, DbEngine } from '@m8/db';
import { HealthConfig } from '@m8/health';
import { fail, serve } from './serve';

@Entity({ tableName: 'note' })
export class Note {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 200 })
  text!: string;
}

@JsonController('/notes')
@injectable()
export class NotesController {
  constructor(@inject(DbEngine) private readonly db: DbEngine) {}

  @Get('/')
  list(): Promise<Note[]> {
    return this.db.em.find(Note, {}, { orderBy: { id: 'asc' } });
  }

  @Post('/')
  @HttpCode(201)
  async create(@Body() body: { text: string }): Promise<Note> {
    const note = this.db.em.create(Note, { text: body.text });
    await this.db.em.flush();
    return note;
  }
}

async function main(): Promise<void> {
  const settings = ConsumerServiceSettings.load({ envFile: false });
  const db = await createDbEngine(settings, { entities: [Note] });
  await db.updateSchema();
  const app = await bootstrap(settings, {
    controllers: [NotesController],
    plugins: [db, new HealthConfig({ checks: [db.asHealthCheck('database')] })],
  });
  await serve(app);
}

main().catch(fail);
