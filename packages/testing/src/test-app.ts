import { bootstrap, type BootstrapOptions, type ConsumerServiceSettings, type M8App, type M8Plugin } from '@m8/core';
import type { DependencyContainer } from 'tsyringe';
import { createTestSettings } from './test-settings';

export interface TestAppOptions<S extends ConsumerServiceSettings> extends Partial<BootstrapOptions> {
  /** Settings to use (default `createTestSettings()`). */
  readonly settings?: S;
  /**
   * Replace registrations after the plugins are set up, before the app starts, e.g.
   * `c => c.register(Mailer, { useValue: fakeMailer })`.
   */
  readonly overrides?: (container: DependencyContainer) => void;
}

export interface TestApp<S extends ConsumerServiceSettings> {
  readonly app: M8App<S>;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** Bootstraps and listens on an ephemeral loopback port, without signal handlers. Close it in `afterAll`. */
export async function startTestApp<S extends ConsumerServiceSettings = ConsumerServiceSettings>(options: TestAppOptions<S> = {}): Promise<TestApp<S>> {
  const settings = options.settings ?? (createTestSettings() as S);
  const { overrides, settings: _ignored, ...rest } = options;
  // The overrides run as the last plugin, so they replace what the plugins registered.
  const plugins: M8Plugin[] = [...(rest.plugins ?? [])];
  if (overrides) plugins.push({ name: 'test-overrides', setup: (app) => overrides(app.container) });
  const app = await bootstrap(settings, { controllers: [], ...rest, plugins });
  const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  return { app, url, close: () => app.close() };
}
