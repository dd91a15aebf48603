/**
 * Additive schema sync: creates the tables, columns and indexes the entities declare and that the
 * database lacks, and nothing else.
 *
 * MikroORM's `updateSchema()` makes the database equal to the entities: it drops every table the
 * entities do not declare, drops columns they do not declare and rewrites columns whose type or
 * nullability differ. Pointed at a database that also holds other data, that loses it. Here the
 * live schema is read for the entities' own tables only, MikroORM's comparator computes the
 * difference, and only its additive part is turned into SQL; what differs and is not additive is
 * reported, for a migration to decide.
 */
import type { MikroORM } from '@mikro-orm/core';
import {
  DatabaseSchema,
  SchemaComparator,
  type AbstractSqlDriver,
  type SchemaDifference,
  type SqlSchemaGenerator,
  type TableDifference,
} from '@mikro-orm/knex';

/** What `updateSchema()` did, and what it saw and left alone. */
export interface SchemaSyncReport {
  /** Created objects, e.g. `table app_item`, `column app_item.title`, `index app_item_title_index`. */
  readonly created: readonly string[];
  /**
   * Differences between the entities and the live schema that were NOT applied because applying
   * them could lose data (a changed type or nullability, an index or constraint to drop or change).
   * Empty after `allowDataLoss`. Write a migration for these.
   */
  readonly notApplied: readonly string[];
  /** Columns of the entities' tables that no entity declares (kept, with their data). */
  readonly foreignColumns: readonly string[];
}

export interface SchemaSyncOptions {
  /**
   * Also apply what can lose data inside the entities' own tables: drop the columns no entity
   * declares, alter changed columns, drop changed indexes. Never drops another table. Refused
   * outside `ENVIRONMENT=local` (`ERR_M8_DB_DESTRUCTIVE_SCHEMA_REFUSED`).
   */
  readonly allowDataLoss?: boolean;
}

export async function syncSchema(orm: MikroORM, options: SchemaSyncOptions = {}): Promise<SchemaSyncReport> {
  const generator = orm.getSchemaGenerator() as unknown as SqlSchemaGenerator;
  const driver = orm.em.getDriver() as unknown as AbstractSqlDriver;
  await generator.ensureDatabase();
  const target = generator.getTargetSchema();
  const ownTables = target.getTables().map((table) => table.name);
  // Only the entities' own tables are read: another table can then never appear as "to drop".
  const live = await DatabaseSchema.create(driver.getConnection(), driver.getPlatform(), orm.config, undefined, undefined, ownTables);
  const diff = new SchemaComparator(driver.getPlatform()).compare(live, target);

  const defaultSchema = driver.getPlatform().getDefaultSchemaName();
  const report = describe(diff, options.allowDataLoss === true, (name) => (defaultSchema && name.startsWith(`${defaultSchema}.`) ? name.slice(defaultSchema.length + 1) : name));
  const applied = options.allowDataLoss ? ownTablesOnly(diff) : additiveOnly(diff);
  const sql = await generator.diffToSQL(applied, { safe: !options.allowDataLoss, dropTables: false });
  if (sql.trim() !== '') await generator.execute(sql);
  return report;
}

/** The part of a difference that only adds: new tables, new columns, new indexes. */
function additiveOnly(diff: SchemaDifference): SchemaDifference {
  const changedTables: Record<string, TableDifference> = {};
  for (const [key, table] of Object.entries(diff.changedTables)) {
    // A "rename" is the comparator pairing a dropped column with an added one of the same shape:
    // here the old column stays and the new one is added.
    const addedColumns = { ...table.addedColumns };
    for (const column of Object.values(table.renamedColumns)) addedColumns[column.name] = column;
    changedTables[key] = {
      ...table,
      addedColumns,
      changedColumns: {},
      removedColumns: {},
      renamedColumns: {},
      changedIndexes: {},
      removedIndexes: {},
      renamedIndexes: {},
      addedChecks: {},
      changedChecks: {},
      removedChecks: {},
      addedForeignKeys: {},
      changedForeignKeys: {},
      removedForeignKeys: {},
    };
    delete changedTables[key]!.changedComment;
  }
  return { ...ownTablesOnly(diff), changedTables, removedNativeEnums: [], orphanedForeignKeys: [] };
}

/** Whatever the comparator found, minus anything outside the entities' tables. */
function ownTablesOnly(diff: SchemaDifference): SchemaDifference {
  return { ...diff, removedTables: {}, removedNamespaces: new Set() };
}

/** `shortName` drops the default schema (`public.note` → `note`) so reports read the same everywhere. */
function describe(diff: SchemaDifference, allowDataLoss: boolean, shortName: (table: string) => string): SchemaSyncReport {
  const created: string[] = Object.values(diff.newTables).map((table) => `table ${shortName(table.name)}`);
  const notApplied: string[] = [];
  const foreignColumns: string[] = [];
  for (const table of Object.values(diff.changedTables)) {
    const name = shortName(table.name);
    for (const column of Object.values(table.addedColumns)) created.push(`column ${name}.${column.name}`);
    for (const column of Object.values(table.renamedColumns)) created.push(`column ${name}.${column.name}`);
    for (const index of Object.values(table.addedIndexes)) created.push(`index ${index.keyName}`);
    const lossy = [
      ...Object.values(table.changedColumns).map((c) => `column ${name}.${c.column.name} differs (${[...c.changedProperties].join(', ')})`),
      ...Object.values(table.changedIndexes).map((i) => `index ${i.keyName} differs`),
      ...Object.values(table.removedIndexes).map((i) => `index ${i.keyName} is not declared`),
      ...Object.values(table.changedForeignKeys).map((f) => `foreign key ${f.constraintName} differs`),
      ...Object.values(table.addedForeignKeys).map((f) => `foreign key ${f.constraintName} is missing`),
      ...Object.values(table.changedChecks).map((c) => `check ${c.name} differs`),
      ...Object.values(table.addedChecks).map((c) => `check ${c.name} is missing`),
    ];
    if (!allowDataLoss) notApplied.push(...lossy);
    const undeclared = [...Object.values(table.removedColumns), ...Object.keys(table.renamedColumns).map((old) => ({ name: old }))];
    if (!allowDataLoss) foreignColumns.push(...undeclared.map((column) => `${name}.${column.name}`));
  }
  return { created, notApplied, foreignColumns };
}
