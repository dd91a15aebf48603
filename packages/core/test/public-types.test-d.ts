/**
 * Type tests (checked by `tsc -p tsconfig.tests.json`, see test/typecheck.test.ts): the public API
 * accepts what it documents and refuses misuse at compile time.
 */
import { bootstrap, ConsumerServiceSettings, HttpProblem, type AuthProvider, type M8App, type M8Plugin, type RouteInfo } from '@m8/core';
import { IsString } from 'class-validator';

class AppSettings extends ConsumerServiceSettings {
  @IsString() GREETING = 'hi';
}

export async function typeTests(): Promise<void> {
  // load() on a subclass returns the subclass.
  const settings: AppSettings = AppSettings.load({ values: { GREETING: 'hello', PROJECT_NAME: 'x' }, envFile: false });
  const greeting: string = settings.GREETING;
  void greeting;

  // @ts-expect-error values only take known settings fields
  AppSettings.load({ values: { NOT_A_SETTING: 1 } });

  // Settings are read-only once loaded... at runtime (frozen); derived values are typed.
  const origins: readonly string[] = settings.allowedOrigins;
  void origins;

  const app: M8App<AppSettings> = await bootstrap(settings, { controllers: [] });
  const sameSettings: AppSettings = app.settings;
  void sameSettings;

  // Every action with its executor, read-only.
  const routes: readonly RouteInfo[] = app.routes;
  const executor: 'compiled' | 'routing-controllers' | undefined = routes[0]?.executor;
  void executor;
  // @ts-expect-error the list is read-only
  app.routes.push(routes[0]!);

  // validation takes class-validator's options, whitelist included.
  await bootstrap(settings, { controllers: [], validation: { whitelist: true, forbidNonWhitelisted: true } });
  // @ts-expect-error routing-controllers' other options are not bootstrap() options
  await bootstrap(settings, { controllers: [], cors: true });

  // @ts-expect-error controllers are required: routing-controllers' metadata is process-global
  await bootstrap(settings, {});

  // @ts-expect-error a plugin needs a setup()
  await bootstrap(settings, { controllers: [], plugins: [{ name: 'x' }] });

  // The auth checkers reach routing-controllers through the plugin context, not an option.
  const checkers: AuthProvider = { authorizationChecker: () => true, currentUserChecker: () => undefined };
  const auth: M8Plugin = { name: 'auth', setup: (ctx) => ctx.authorize(checkers) };
  await bootstrap(settings, { controllers: [], plugins: [auth] });

  // @ts-expect-error the old lifecycle option is gone: plugins, startupValidators and extras are top-level
  await bootstrap(settings, { controllers: [], lifecycle: {} });

  // @ts-expect-error middleware stages are a closed set
  await bootstrap(settings, { controllers: [], plugins: [{ name: 'x', setup: (ctx) => ctx.use('sometime', async () => undefined) }] });

  // @ts-expect-error an HttpProblem needs a status
  new HttpProblem('Not Found');
  new HttpProblem(404, 'Not Found', { headers: { 'X-Reason': 'gone' } });
}
