/**
 * The request-scoped EntityManager, forked lazily: a request that never touches the database
 * (health, 404, a rejected token) costs one small object, not an EntityManager fork.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { RequestContext, type EntityManager } from '@mikro-orm/core';

interface Slot {
  em: EntityManager | undefined;
  /** True while the fork is being built: its constructor asks for the context already. */
  forking: boolean;
}

/** One per engine, so two engines never see each other's forks. */
export class EmScope {
  private readonly storage = new AsyncLocalStorage<Slot>();
  private root: EntityManager | undefined;

  /** Called once the ORM exists; forks are taken from this EntityManager. */
  attach(root: EntityManager): void {
    this.root = root;
  }

  /** Runs `fn` in a fresh scope; its first `current()` forks a clean EntityManager. */
  run<T>(fn: () => T): T {
    return this.storage.run({ em: undefined, forking: false }, fn);
  }

  /** The scope's EntityManager (forked on first use), or undefined outside a scope. */
  current(): EntityManager | undefined {
    const slot = this.storage.getStore();
    if (slot === undefined || this.root === undefined) return undefined;
    if (slot.em !== undefined || slot.forking) return slot.em;
    slot.forking = true;
    try {
      // useContext: inside `em.transactional()` the fork defers to the transaction's EM, as
      // MikroORM's own RequestContext forks do. disableContextResolution: fork the root itself.
      slot.em = this.root.fork({ useContext: true, disableContextResolution: true });
    } finally {
      slot.forking = false;
    }
    return slot.em;
  }

  /**
   * MikroORM's `context` option: the global `orm.em` resolves to the scope's fork, so code that
   * uses `orm.em` directly gets the request's EntityManager too. Outside our scope it falls back
   * to MikroORM's own `RequestContext`.
   */
  readonly resolve = (name: string): EntityManager | undefined =>
    (name === this.root?.name ? this.current() : undefined) ?? RequestContext.getEntityManager(name);
}
