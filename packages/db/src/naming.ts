/**
 * `TABLES_PREFIX` as a MikroORM naming strategy: entity `Item` → table `app_item`.
 */
import { UnderscoreNamingStrategy } from '@mikro-orm/core';

/**
 * Underscore naming with a table prefix. Only names the ORM derives are prefixed: an entity with an
 * explicit `tableName` keeps it. Join columns stay unprefixed (`item_id`, not `app_item_id`).
 *
 * @example
 * new TablePrefixNamingStrategy('app').classToTableName('OrderLine') // 'app_order_line'
 */
export class TablePrefixNamingStrategy extends UnderscoreNamingStrategy {
  private readonly prefix: string;

  /** `prefix` '' disables prefixing; a trailing `_` is accepted (`app_` and `app` are the same). */
  constructor(prefix: string) {
    super();
    this.prefix = prefix === '' ? '' : `${prefix.replace(/_+$/, '')}_`;
  }

  override classToTableName(entityName: string): string {
    return this.prefix + underscore(entityName);
  }

  // MikroORM passes class or property names here; the parent would route them through
  // classToTableName and prefix column names too.
  override joinKeyColumnName(entityName: string, referencedColumnName?: string): string {
    return `${underscore(entityName)}_${referencedColumnName || this.referenceColumnName()}`;
  }

  // MikroORM passes the source *table* name (already prefixed when derived) and the property name.
  override joinTableName(sourceEntity: string, _targetEntity: string, propertyName: string): string {
    const source = sourceEntity.startsWith(this.prefix) ? sourceEntity : this.prefix + sourceEntity;
    return `${source}_${underscore(propertyName)}`;
  }
}

/** `OrderLine` → `order_line`, the same rule as MikroORM's (private) underscore helper. */
function underscore(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}
