/**
 * `bootstrap(settings, options)`: builds a service. It reads top to bottom as what it does:
 * plugins are collected and checked, each sets itself up, the Koa pipeline is assembled in one
 * visible order, and an `M8App` is returned whose `listen()` runs the start-up lifecycle.
 */
import Koa from 'koa';
import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import type { DestinationStream } from 'pino';
import { M8App } from './app';
import { PluginRegistry } from './app-context';
import { checkCompatibility } from './compat';
import { mountControllers, type ControllerClass, type RoutingMode } from './controllers';
import { requestState } from './di/request-state';
import { APP_EVENTS, LOGGER, SETTINGS } from './di/tokens';
import { AppEvents } from './events';
import { accessLog } from './http/access-log';
import { jsonBody } from './http/body-parser';
import { cors } from './http/cors';
import { errorLayer } from './http/error-layer';
import { internalRoutes } from './http/internal-routes';
import { requestId } from './http/request-id';
import { securityHeaders } from './http/security-headers';
import { Lifecycle } from './lifecycle/lifecycle';
import { createLogger, type Logger } from './logger';
import type { AppContext, AuthProvider, DbProvider, Extra, HealthProvider, M8Plugin, StartupValidator } from './plugin';
import { ConsumerServiceSettings } from './settings/consumer-settings';
import { loadOptional, MissingPackageError } from './util/load-optional';

export interface LifecycleOptions {
  /** `buildAuthDeps(settings)` from @m8/auth; closed at shutdown after the extras. */
  readonly auth?: AuthProvider;
  /** `createDbEngine(settings, ...)` from @m8/db; disposed last at shutdown. */
  readonly db?: DbProvider;
  /** Run in order once listening; a throw aborts start and the app never reports ready. */
  readonly startupValidators?: readonly StartupValidator[];
  /** Last chance to add middleware or internal routes before the pipeline is built. */
  readonly configure?: (app: AppContext) => void | Promise<void>;
  /** Entered after the validators, exited first at shutdown. */
  readonly extras?: readonly Extra[];
}

export interface BootstrapOptions {
  /** Controller classes, mounted under `API_PREFIX`. Always an explicit list. */
  readonly controllers: readonly ControllerClass[];
  /** Default `settings.PROJECT_NAME`. */
  readonly serviceName?: string;
  /** Default `0.0.0`. */
  readonly serviceVersion?: string;
  /** `new HealthConfig(...)` from @m8/health; by default @m8/health's defaults when installed; `false` for none. */
  readonly health?: HealthProvider | false;
  readonly lifecycle?: LifecycleOptions;
  /** More features (metrics is added from `METRICS_ENABLED` unless given here). */
  readonly plugins?: readonly M8Plugin[];
  /** A logger of your own, or where core's JSON lines go (default stdout). */
  readonly logger?: Logger | { readonly destination: DestinationStream };
  /** `fast` (default): core's compiled executor serves what it implements; `routing-controllers`: all of it. */
  readonly routing?: RoutingMode;
}

export async function bootstrap<S extends ConsumerServiceSettings>(settings: S, options: BootstrapOptions): Promise<M8App<S>> {
  const serviceName = options.serviceName ?? settings.PROJECT_NAME;
  const serviceVersion = options.serviceVersion ?? '0.0.0';
  const logger = makeLogger(settings, serviceName, serviceVersion, options.logger);
  const lifecycle = options.lifecycle ?? {};
  const plugins = collectPlugins(settings, options);
  checkCompatibility(plugins);

  const events = new AppEvents();
  const container = createAppContainer(settings, logger, events);
  const stages = new Lifecycle(logger);
  const registry = new PluginRegistry(settings, container, logger, events, stages, serviceName, serviceVersion, options.controllers);

  // Teardown runs newest first: extras (registered at start) → auth → database (CONTRACT.md §7).
  if (lifecycle.db) registry.onClose('db', () => lifecycle.db!.dispose());
  if (lifecycle.auth) registry.onClose('auth', () => lifecycle.auth!.close());
  for (const plugin of plugins) await plugin.setup(registry);
  await lifecycle.configure?.(registry);
  registry.seal();

  // The request pipeline, outermost first.
  const koa = new Koa();
  koa.use(requestState(container)); // ctx.state: request id + lazy request-scoped container
  koa.use(requestId()); // X-Request-Id accepted when sane, else generated; always echoed
  koa.use(accessLog(logger)); // one line per request with the final status
  koa.use(securityHeaders()); // nosniff, DENY — on error answers too
  for (const middleware of registry.stages.observe) koa.use(middleware); // e.g. metrics: sees every status, preflights too
  koa.use(cors(settings.allowedOrigins)); // before errors are answered, so a browser can read a 401
  koa.use(errorLayer(logger)); // every error → {"detail": ...}; nothing internal leaks
  koa.use(internalRoutes(registry.routes)); // health, ping, metrics, docs: before body parsing
  koa.use(jsonBody({ maxBytes: settings.BODY_LIMIT_BYTES, maxDepth: settings.BODY_MAX_DEPTH, maxFields: settings.BODY_MAX_FIELDS })); // 413/415/400 before any transformation
  for (const middleware of registry.stages.request) koa.use(middleware); // e.g. database request context
  mountControllers(koa, { controllers: options.controllers, routePrefix: settings.apiPrefix, container, auth: lifecycle.auth, routing: options.routing });

  logger.info({ event: 'starting', environment: settings.ENVIRONMENT, plugins: plugins.map((p) => p.name) }, 'starting');
  return new M8App<S>({
    koa,
    container,
    settings,
    logger,
    events,
    lifecycle: stages,
    context: registry,
    validators: lifecycle.startupValidators ?? [],
    extras: lifecycle.extras ?? [],
  });
}

/** db and auth first (their order is the teardown order), then health, metrics and the rest. */
function collectPlugins(settings: ConsumerServiceSettings, options: BootstrapOptions): M8Plugin[] {
  const given = options.plugins ?? [];
  const plugins: M8Plugin[] = [];
  if (options.lifecycle?.db) plugins.push(options.lifecycle.db);
  if (options.lifecycle?.auth) plugins.push(options.lifecycle.auth);
  const health = options.health ?? (options.health === false ? undefined : defaultHealth());
  if (health) plugins.push(health);
  if (settings.METRICS_ENABLED && !given.some((p) => p.name === 'metrics')) plugins.push(loadMetrics(settings));
  const docs = given.some((p) => p.name === 'openapi') ? undefined : defaultDocs(settings);
  if (docs) plugins.push(docs);
  return [...plugins, ...given];
}

function defaultHealth(): HealthProvider | undefined {
  try {
    const health = loadOptional<{ HealthConfig: new () => HealthProvider }>('@m8/health', 'npm install @m8/health');
    return new health.HealthConfig();
  } catch (error) {
    if (error instanceof MissingPackageError) return undefined; // no @m8/health, no health route
    throw error;
  }
}

/** The OpenAPI document and its pages, when @m8/openapi is installed (it applies the SET_* toggles itself). */
function defaultDocs(settings: ConsumerServiceSettings): M8Plugin | undefined {
  if (!settings.SET_OPEN_API) return undefined;
  try {
    const docs = loadOptional<{ createOpenApiPlugin: (s: ConsumerServiceSettings) => M8Plugin }>('@m8/openapi', 'npm install @m8/openapi');
    return docs.createOpenApiPlugin(settings);
  } catch (error) {
    if (error instanceof MissingPackageError) return undefined; // no docs package, no docs routes
    throw error;
  }
}

function loadMetrics(settings: ConsumerServiceSettings): M8Plugin {
  const metrics = loadOptional<{ createMetricsPlugin: (s: ConsumerServiceSettings) => M8Plugin }>(
    '@m8/metrics',
    'npm install @m8/metrics',
    'METRICS_ENABLED=true',
  );
  return metrics.createMetricsPlugin(settings);
}

function createAppContainer(settings: ConsumerServiceSettings, logger: Logger, events: AppEvents): DependencyContainer {
  // A child of tsyringe's global container: user classes decorated @injectable() resolve, but
  // nothing this app registers is visible to another app in the same process.
  const container = globalContainer.createChildContainer();
  container.register(SETTINGS, { useValue: settings });
  container.register(ConsumerServiceSettings, { useValue: settings });
  if (settings.constructor !== ConsumerServiceSettings) container.register(settings.constructor as new () => ConsumerServiceSettings, { useValue: settings });
  container.register(LOGGER, { useValue: logger });
  container.register(APP_EVENTS, { useValue: events });
  return container;
}

function makeLogger(settings: ConsumerServiceSettings, serviceName: string, serviceVersion: string, given: BootstrapOptions['logger']): Logger {
  if (given && 'info' in given) return given;
  return createLogger({ level: settings.LOG_LEVEL, serviceName, serviceVersion, destination: given?.destination });
}
