import { describe, expect, it } from 'vitest';
import { Collection, EntitySchema } from '@mikro-orm/core';
import { createDbEngine, TablePrefixNamingStrategy } from '@m8/db';
import { Item, ItemSchema, testSettings } from './support/fixtures';

describe('TablePrefixNamingStrategy', () => {
  it('prefixes derived table names with TABLES_PREFIX and an underscore', () => {
    expect(new TablePrefixNamingStrategy('app').classToTableName('OrderLine')).toBe('app_order_line');
    expect(new TablePrefixNamingStrategy('app_').classToTableName('Item')).toBe('app_item');
  });

  it('adds nothing for an empty prefix', () => {
    expect(new TablePrefixNamingStrategy('').classToTableName('OrderLine')).toBe('order_line');
  });

  it('keeps join columns unprefixed and prefixes pivot tables once', () => {
    const naming = new TablePrefixNamingStrategy('app');
    expect(naming.joinKeyColumnName('Item')).toBe('item_id');
    expect(naming.joinTableName('app_tag', 'app_item', 'items')).toBe('app_tag_items');
    expect(naming.joinTableName('tags', 'app_item', 'items')).toBe('app_tags_items');
  });
});

class Note {
  id!: number;
  text!: string;
  item!: Item;
}
class Tag {
  id!: number;
  items = new Collection<Item>(this);
}
const NoteSchema = new EntitySchema<Note>({
  class: Note,
  properties: { id: { type: 'integer', primary: true }, text: { type: 'string' }, item: { kind: 'm:1', entity: () => Item } },
});
const TagSchema = new EntitySchema<Tag>({
  class: Tag,
  properties: { id: { type: 'integer', primary: true }, items: { kind: 'm:n', entity: () => Item } },
});

describe('TABLES_PREFIX in a real schema (SQLite)', () => {
  it('creates app_item, app_note(item_id), app_tag and app_tag_items(tag_id, item_id)', async () => {
    const engine = await createDbEngine(testSettings({ SELECTED_DB: 'Sqlite', DB_DATABASE: ':memory:', TABLES_PREFIX: 'app' }), {
      entities: [ItemSchema, NoteSchema, TagSchema],
    });
    try {
      await engine.updateSchema();
      const connection = engine.orm.em.getConnection();
      const tables = (await connection.execute("select name from sqlite_master where type = 'table' and name like 'app%' order by name")) as Array<{ name: string }>;
      expect(tables.map((t) => t.name)).toEqual(['app_item', 'app_note', 'app_tag', 'app_tag_items']);
      const columns = async (table: string) => ((await connection.execute(`pragma table_info(${table})`)) as Array<{ name: string }>).map((c) => c.name);
      expect(await columns('app_note')).toEqual(['id', 'text', 'item_id']);
      expect(await columns('app_tag_items')).toEqual(['tag_id', 'item_id']);
    } finally {
      await engine.dispose();
    }
  });
});
