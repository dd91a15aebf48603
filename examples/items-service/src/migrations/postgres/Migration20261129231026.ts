import { Migration } from '@mikro-orm/migrations';

export class Migration20261129231026 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "app_item" ("id" uuid not null, "title" varchar(200) not null, "description" text null, "owner_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "app_item_pkey" primary key ("id"));`);
  }

}
