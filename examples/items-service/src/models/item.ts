import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/** Table `<TABLES_PREFIX>_item` (`app_item` with the committed local.env), named by @m8/db's naming strategy. */
@Entity()
export class Item {
  /** Filled by defaults, so `em.create(Item, ...)` does not require them. */
  [OptionalProps]?: 'id' | 'description' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  /** `sub` of the user who created it. */
  @Property({ type: 'uuid' })
  ownerId!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
