import { Migration } from '@mikro-orm/migrations';

export class Migration20261129231031 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`app_item\` (\`id\` varchar(36) not null, \`title\` varchar(200) not null, \`description\` text null, \`owner_id\` varchar(36) not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
  }

}
