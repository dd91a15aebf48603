/**
 * Which thrown errors are failures of this engine's database driver. MikroORM converts errors of
 * entity operations into its `DriverException` classes, but a failed transaction BEGIN/COMMIT, a
 * raw `execute()` or a failed connection attempt reaches the caller as the driver's own error.
 * Those are recognised by identity, from knex's public events (`query-error` for every failed
 * query, the pool's `createFail` for every failed connection), never by their text, and then
 * converted by MikroORM's own exception converter.
 */
import { DriverException, type MikroORM } from '@mikro-orm/core';
import { knex } from '@mikro-orm/knex';

interface KnexEvents {
  on(event: 'query-error', listener: (error: unknown) => void): unknown;
  readonly client?: { readonly pool?: { on(event: 'createFail', listener: (eventId: number, error: unknown) => void): unknown } };
}

export class DriverErrors {
  private readonly seen = new WeakSet<object>();

  constructor(private readonly orm: MikroORM) {
    const connection = orm.em.getConnection() as unknown as { getKnex?: () => KnexEvents };
    const events = typeof connection.getKnex === 'function' ? connection.getKnex() : undefined;
    events?.on('query-error', (error) => this.remember(error));
    events?.client?.pool?.on('createFail', (_eventId, error) => this.remember(error));
  }

  /** MikroORM's `DriverException` for a failure of this engine's driver; undefined for any other error. */
  recognize(error: unknown): DriverException | undefined {
    if (error instanceof DriverException) return error;
    if (!(error instanceof Error)) return undefined;
    // knex's pool timeout (no free connection in time) carries no code; its class is its identity.
    if (error instanceof knex.KnexTimeoutError || this.seen.has(error)) return this.orm.em.getDriver().convertException(error);
    return undefined;
  }

  private remember(error: unknown): void {
    if (typeof error === 'object' && error !== null) this.seen.add(error);
  }
}
