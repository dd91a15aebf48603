/**
 * `DbEngine`: one MikroORM instance with its pool, the request-scoped EntityManager, the health
 * check and the shutdown. Created by `createDbEngine()`; the engine is itself the plugin to list in
 * `bootstrap()`'s `plugins` (first, so it is disposed last).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { AppContext, M8Plugin, M8State, PackageInfo } from '@m8/core';
import { readPackageInfo } from '@m8/core/internal';
import type { Middleware } from 'koa';
import { dbErrorTranslation } from './db-problems';
import { DriverErrors } from './driver-errors';
import { DbDisposedError, DbScopeError, DestructiveSchemaRefusedError } from './errors';
import { describeError, withDeadline, type DbHealthCheck, type DbHealthCheckOptions, type DbHealthResult } from './health';
import type { EmScope } from './request-scope';
import { syncSchema, type SchemaSyncOptions, type SchemaSyncReport } from './schema-sync';
import { scrubCredentials } from './scrub';

const PACKAGE: PackageInfo = readPackageInfo(__dirname, '@m8/db');

/** What the engine was built from; internal to `createDbEngine`. */
export interface DbEngineParts {
  readonly orm: MikroORM;
  readonly scope: EmScope;
  /** `postgresql`, `mysql` or `sqlite`. */
  readonly driver: string;
  /** Values masked in every error message the engine hands out (passwords, the URL). */
  readonly secrets: readonly string[];
  readonly healthCheckTimeoutMs: number;
  /** `ENVIRONMENT`: data-losing schema changes are refused outside `local`. */
  readonly environment: string;
}

/**
 * The database of one service. Registered in the app container under the `DbEngine` class itself:
 *
 * @example
 * @injectable()
 * class ItemService {
 *   constructor(private readonly db: DbEngine) {}
 *   list() { return this.db.em.find(Item, {}); }  // the current request's EntityManager
 * }
 */
export class DbEngine implements M8Plugin {
  readonly name = 'db';
  readonly package: PackageInfo = PACKAGE;
  /** The MikroORM instance, for what m8 does not wrap (migrator, seeder, query builders...). */
  readonly orm: MikroORM;
  /** `postgresql`, `mysql` or `sqlite`. */
  readonly driver: string;
  private readonly scope: EmScope;
  private readonly secrets: readonly string[];
  private readonly healthCheckTimeoutMs: number;
  private readonly environment: string;
  private logger: AppContext['logger'] | undefined;
  private disposing: Promise<void> | undefined;
  private readonly driverErrors: DriverErrors;

  /** Koa middleware giving each request its own scope; built once, shared by every request. */
  readonly requestScope: Middleware<M8State>;

  /** Use `createDbEngine()`; the constructor is public for tests and advanced wiring. */
  constructor(parts: DbEngineParts) {
    this.orm = parts.orm;
    this.scope = parts.scope;
    this.driver = parts.driver;
    this.secrets = parts.secrets;
    this.healthCheckTimeoutMs = parts.healthCheckTimeoutMs;
    this.environment = parts.environment;
    this.driverErrors = new DriverErrors(parts.orm);
    // Returned, not just called: Koa must await the rest of the pipeline inside the scope.
    this.requestScope = (_ctx, next) => this.scope.run(next);
  }

  /**
   * Plugs the engine into `bootstrap()`: container registration, the translation of database
   * failures into HTTP answers (503 / 409 / 422, see `db-problems.ts`), the request scope, and
   * disposal at shutdown.
   */
  setup(app: AppContext): void {
    this.logger = app.logger;
    app.container.registerInstance(DbEngine, this);
    const onUnavailable = (error: { name: string; code?: string }): void =>
      app.logger.warn({ event: 'db_unavailable', driver: this.driver, exception: error.name, code: error.code }, 'database unavailable: answered 503');
    app.use('request', dbErrorTranslation((error) => this.driverErrors.recognize(error), onUnavailable));
    app.use('request', this.requestScope);
    app.onClose('db', () => this.dispose());
  }

  /**
   * The EntityManager of the current request (or `run()` scope): its own identity map, forked on
   * first use. Throws `DbScopeError` outside a scope rather than leaking a shared one.
   */
  get em(): EntityManager {
    const em = this.scope.current();
    if (em === undefined) throw new DbScopeError();
    return em;
  }

  /**
   * Runs `fn` in a scope of its own, as a request would (jobs, scripts, tests). `engine.em` inside
   * it, and in everything it awaits, is the same fresh EntityManager, also passed as `em`.
   *
   * @example
   * await engine.run(async (em) => { em.create(Item, { name: 'x' }); await em.flush(); });
   */
  run<T>(fn: (em: EntityManager) => T | Promise<T>): Promise<T> {
    if (this.disposing) return Promise.reject(new DbDisposedError());
    return this.scope.run(async () => fn(this.em));
  }

  /** A fresh EntityManager detached from any scope; you own its lifetime. */
  fork(): EntityManager {
    return this.orm.em.fork({ clear: true, useContext: false });
  }

  /**
   * Creates the tables, columns and indexes the entities declare and the database lacks. It never
   * drops or alters anything: other tables, and columns of the entities' tables that no entity
   * declares, keep their data; a column whose type or nullability differs is reported in
   * `notApplied` (and logged) for a migration to handle. Meant for local development and tests;
   * outside `local`, schema changes are migrations (see the package README).
   *
   * `{ allowDataLoss: true }` also applies the rest inside the entities' own tables (drop
   * undeclared columns, alter changed ones). It is refused outside `ENVIRONMENT=local`.
   *
   * @example
   * const report = await engine.updateSchema();  // { created: ['table app_item'], notApplied: [], ... }
   */
  async updateSchema(options: SchemaSyncOptions = {}): Promise<SchemaSyncReport> {
    if (this.disposing) throw new DbDisposedError();
    if (options.allowDataLoss && this.environment !== 'local') throw new DestructiveSchemaRefusedError(this.environment);
    const report = await syncSchema(this.orm, options);
    this.logger?.info({ event: 'schema_sync', created: report.created }, report.created.length > 0 ? `schema: created ${report.created.join(', ')}` : 'schema: up to date');
    if (report.notApplied.length > 0) {
      this.logger?.warn(
        { event: 'schema_drift', notApplied: report.notApplied },
        `schema: ${report.notApplied.length} difference(s) left alone because applying them could lose data; write a migration (see @m8/db README, "Migrations")`,
      );
    }
    return report;
  }

  /**
   * A real round trip (`SELECT 1`). Never throws: a failure, a timeout or an abort answers
   * `fail` with the reason, credentials masked.
   */
  async healthCheck(options: DbHealthCheckOptions = {}): Promise<DbHealthResult> {
    const started = performance.now();
    let error: string | null = null;
    if (this.disposing) {
      error = 'database engine disposed';
    } else {
      try {
        const work = this.orm.em.getConnection().execute('select 1');
        await withDeadline(work, options.timeoutMs ?? this.healthCheckTimeoutMs, options.signal);
      } catch (caught) {
        error = this.scrub(describeError(caught));
      }
    }
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    return { status: error === null ? 'ok' : 'fail', ok: error === null, latencyMs, error, meta: { driver: this.driver, latencyMs } };
  }

  /**
   * The health check in @m8/health's `HealthCheck` shape (`{ name, check }`).
   *
   * @example
   * new HealthConfig({ checks: [engine.asHealthCheck()] })
   */
  asHealthCheck(name = 'database'): DbHealthCheck {
    return { name, check: (context) => this.healthCheck(context?.signal ? { signal: context.signal } : {}) };
  }

  /** Masks this engine's credentials (and any URL credentials) in `text`. */
  scrub(text: string): string {
    return scrubCredentials(text, this.secrets);
  }

  /** Closes the pool. Idempotent: later calls return the same promise. */
  dispose(): Promise<void> {
    this.disposing ??= this.orm.close(true);
    return this.disposing;
  }
}

/**
 * Runs `fn` with a request-like scope on `engine` (see `DbEngine.run`).
 *
 * @example
 * await withRequestScope(engine, (em) => em.count(Item));
 */
export function withRequestScope<T>(engine: DbEngine, fn: (em: EntityManager) => T | Promise<T>): Promise<T> {
  return engine.run(fn);
}
