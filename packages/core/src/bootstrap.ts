/**
 * `bootstrap(settings, options)`: builds a service. It reads top to bottom as what it does: the
 * plugin list is checked, each plugin sets itself up in list order, the Koa pipeline is assembled
 * in one visible order, and an `M8App` is returned whose `listen()` runs the start-up lifecycle.
 */
import Koa from 'koa';
import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import type { DestinationStream } from 'pino';
import { M8App } from './app';
import { PluginHost } from './app-context';
import { checkCompatibility } from './compat';
import { buildRouting, type ControllerClass, type RoutingMode } from './controllers';
import { bridgingContainer, bridgeToken, runInAppScope } from './di/app-scope';
import { requestState } from './di/request-state';
import { APP_EVENTS, KOA_CONTEXT, LOGGER, REQUEST_ID, SETTINGS } from './di/tokens';
import { AppEvents } from './events';
import { accessLog } from './http/access-log';
import { jsonBody } from './http/body-parser';
import { cors } from './http/cors';
import { errorLayer } from './http/error-layer';
import { internalRoutes } from './http/internal-routes';
import { metaRoute } from './http/meta-route';
import { requestId } from './http/request-id';
import { securityHeaders } from './http/security-headers';
import { trustedHosts } from './http/trusted-hosts';
import { Lifecycle } from './lifecycle/lifecycle';
import { createAppLogger, loggedAccessLine, resolveLogFormat, type AppLogger, type Logger } from './logger';
import { M8Error } from './m8-error';
import type { Extra, M8Plugin, StartupValidator } from './plugin';
import type { RequestValidation } from './routing/dto-input';
import { ConsumerServiceSettings } from './settings/consumer-settings';
import { reportPosture } from './settings/report-posture';
import { assertSingleCopies } from './singletons';
import { installCommand } from './util/install-hint';

export interface BootstrapOptions {
  /** Controller classes, mounted under `API_PREFIX`. Always an explicit list. */
  readonly controllers: readonly ControllerClass[];
  /**
   * The features of this service, in order: each is set up in list order and closed in reverse.
   * List the database first and auth after it, so shutdown exits the extras, closes auth, then
   * disposes the database: `[engine, buildAuthDeps(settings), new HealthConfig(), metrics(), openapi()]`.
   */
  readonly plugins?: readonly M8Plugin[];
  /** Run in order once listening; a throw aborts start and the app never reports ready. */
  readonly startupValidators?: readonly StartupValidator[];
  /** Entered after the validators, exited first at shutdown. */
  readonly extras?: readonly Extra[];
  /** Default `settings.PROJECT_NAME`. */
  readonly serviceName?: string;
  /** Default `0.0.0`. */
  readonly serviceVersion?: string;
  /** A logger of your own, or where core's JSON lines go (default stdout). */
  readonly logger?: Logger | { readonly destination: DestinationStream };
  /** `fast` (default): core's compiled executor serves what it implements; `routing-controllers`: all of it. */
  readonly routing?: RoutingMode;
  /** class-validator options for DTO parameters (`whitelist`, `forbidNonWhitelisted`, ...); default `{ whitelist: true }`. */
  readonly validation?: RequestValidation;
}

/** Two plugins of one name in the list (e.g. the same plugin twice). */
export class DuplicatePluginError extends M8Error {
  static override readonly code = 'ERR_M8_DUPLICATE_PLUGIN';
  override readonly code = DuplicatePluginError.code;
}

/** A setting asks for a feature whose plugin is not in the list. */
export class MissingPluginError extends M8Error {
  static override readonly code = 'ERR_M8_MISSING_PLUGIN';
  override readonly code = MissingPluginError.code;
}

export async function bootstrap<S extends ConsumerServiceSettings>(settings: S, options: BootstrapOptions): Promise<M8App<S>> {
  const serviceName = options.serviceName ?? settings.PROJECT_NAME;
  const serviceVersion = options.serviceVersion ?? settings.SERVICE_VERSION ?? '0.0.0';
  const plugins = options.plugins ?? [];
  checkPluginList(settings, plugins);
  checkCompatibility(plugins);
  assertSingleCopies(plugins);
  const { logger, accessLine, flushSync } = makeLogger(settings, serviceName, serviceVersion, options.logger);

  const events = new AppEvents();
  const appContainer = createAppContainer(settings, logger, events);
  const container = bridgingContainer(appContainer);
  const lifecycle = new Lifecycle(logger);
  const host = new PluginHost({ settings, container, logger, events, lifecycle, serviceName, serviceVersion, controllers: options.controllers, plugins });

  // Set up in list order; each plugin registers its own teardown, which runs in reverse.
  await runInAppScope({ app: appContainer }, async () => {
    for (const plugin of plugins) await plugin.setup(host);
  });
  const meta = metaRoute(settings, serviceName); // GET {API_PREFIX}/meta, when SERVICE_VERSION is set
  if (meta) host.route(meta);
  host.seal();

  const routing = buildRouting({
    controllers: options.controllers,
    routePrefix: settings.apiPrefix,
    container,
    logger,
    auth: host.auth,
    routing: options.routing,
    validation: options.validation,
  });

  // The request pipeline, outermost first.
  const koa = new Koa();
  koa.use(requestState(appContainer)); // ctx.state: request id + lazy request-scoped container; the app of `container.resolve()`
  koa.use(requestId()); // X-Request-Id accepted when sane, else generated; always echoed
  koa.use(accessLog(logger, accessLine)); // one line per request with the final status
  koa.use(securityHeaders(settings)); // nosniff, DENY, tiered by environment — on error answers too
  for (const middleware of host.middleware.observe) koa.use(middleware); // e.g. metrics: sees every status, preflights too
  koa.use(cors(settings.allowedOrigins)); // before errors are answered, so a browser can read a 401
  koa.use(errorLayer(logger)); // every error → {"detail": ...}; nothing internal leaks
  const hosts = trustedHosts(settings); // ALLOWED_HOSTS: 400 before any route, internal ones included
  if (hosts) koa.use(hosts);
  koa.use(internalRoutes(host.routes)); // health, ping, metrics, docs: before body parsing
  koa.use(jsonBody({ maxBytes: settings.BODY_LIMIT_BYTES, maxDepth: settings.BODY_MAX_DEPTH, maxFields: settings.BODY_MAX_FIELDS })); // 413/415/400 before any transformation
  for (const middleware of host.middleware.request) koa.use(middleware); // e.g. database request context
  koa.use(routing.middleware); // compiled actions, then routing-controllers; 405/501 with Allow when none answers

  logger.info({ event: 'starting', environment: settings.ENVIRONMENT, plugins: plugins.map((p) => p.name) }, 'starting');
  reportPosture(settings, logger); // warnings outside staging/production, where they are load() errors
  return new M8App<S>({
    koa,
    container,
    settings,
    logger,
    flushLogs: flushSync,
    events,
    lifecycle,
    context: host,
    validators: options.startupValidators ?? [],
    extras: options.extras ?? [],
    routes: routing.routes,
  });
}

/** Unique names, and every feature a setting turns on has its plugin in the list. */
function checkPluginList(settings: ConsumerServiceSettings, plugins: readonly M8Plugin[]): void {
  const names = plugins.map((plugin) => plugin.name);
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) {
    throw new DuplicatePluginError(`bootstrap() got more than one plugin named ${[...new Set(repeated)].map((n) => `"${n}"`).join(', ')}; list each feature once.`);
  }
  if (settings.METRICS_ENABLED && !names.includes('metrics')) {
    throw new MissingPluginError(
      `METRICS_ENABLED=true, but bootstrap()'s plugins have no metrics plugin. Install @m8/metrics (${installCommand(['@m8/metrics'])}) ` +
        `and add metrics() from it to the plugins, or set METRICS_ENABLED=false.`,
    );
  }
}

function createAppContainer(settings: ConsumerServiceSettings, logger: Logger, events: AppEvents): DependencyContainer {
  // A child of tsyringe's global container, so what the service registers there itself is seen;
  // what this app registers stays in this container (the global one only gets app-scope.ts's
  // factories, which answer for the current app).
  const container = globalContainer.createChildContainer();
  for (const token of [SETTINGS, ConsumerServiceSettings, LOGGER, APP_EVENTS, KOA_CONTEXT, REQUEST_ID]) bridgeToken(token);
  if (settings.constructor !== ConsumerServiceSettings) bridgeToken(settings.constructor as new () => ConsumerServiceSettings);
  container.register(SETTINGS, { useValue: settings });
  container.register(ConsumerServiceSettings, { useValue: settings });
  if (settings.constructor !== ConsumerServiceSettings) container.register(settings.constructor as new () => ConsumerServiceSettings, { useValue: settings });
  container.register(LOGGER, { useValue: logger });
  container.register(APP_EVENTS, { useValue: events });
  return container;
}

function makeLogger(
  settings: ConsumerServiceSettings,
  serviceName: string,
  serviceVersion: string,
  given: BootstrapOptions['logger'],
): AppLogger {
  if (given && 'info' in given) return { logger: given, accessLine: loggedAccessLine(given), flushSync: () => given.flush() };
  const format = resolveLogFormat(settings.LOG_FORMAT, settings.ENVIRONMENT, process.stdout.isTTY === true);
  return createAppLogger({ level: settings.LOG_LEVEL, serviceName, serviceVersion, destination: given?.destination, format });
}
