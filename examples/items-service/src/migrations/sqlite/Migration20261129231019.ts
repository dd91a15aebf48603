import { Migration } from '@mikro-orm/migrations';

export class Migration20261129231019 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`app_item\` (\`id\` text not null, \`title\` text not null, \`description\` text null, \`owner_id\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
  }

}
