/** The `AppContext` that plugins receive: it collects their middleware, routes and teardown steps. */
import type { Middleware } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import type { AppEvents } from './events';
import type { Lifecycle } from './lifecycle/lifecycle';
import type { Logger } from './logger';
import type { AppContext, InternalRoute, M8State, MiddlewareStage } from './plugin';
import type { ConsumerServiceSettings } from './settings/consumer-settings';

export class PluginRegistry implements AppContext {
  readonly stages: Record<MiddlewareStage, Middleware<M8State>[]> = { observe: [], request: [] };
  readonly routes: InternalRoute[] = [];
  private sealed = false;

  constructor(
    readonly settings: ConsumerServiceSettings,
    readonly container: DependencyContainer,
    readonly logger: Logger,
    readonly events: AppEvents,
    readonly lifecycle: Lifecycle,
    readonly serviceName: string,
    readonly serviceVersion: string,
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    readonly controllers: readonly Function[],
  ) {}

  get apiPrefix(): string {
    return this.settings.apiPrefix;
  }

  use(stage: MiddlewareStage, middleware: Middleware<M8State>): void {
    this.assertOpen('use()');
    this.stages[stage].push(middleware);
  }

  route(route: InternalRoute): void {
    this.assertOpen('route()');
    this.routes.push(route);
  }

  onClose(name: string, close: () => Promise<void> | void): void {
    this.lifecycle.onClose(name, close);
  }

  /** After the pipeline is built, adding to it would silently do nothing: refuse loudly instead. */
  seal(): void {
    this.sealed = true;
  }

  private assertOpen(what: string): void {
    if (this.sealed) throw new Error(`m8: ${what} was called after bootstrap() built the app; call it from a plugin's setup() or lifecycle.configure.`);
  }
}
