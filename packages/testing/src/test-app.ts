import { bootstrap, type BootstrapOptions, type ConsumerServiceSettings, type M8App } from '@m8/core';
import type { DependencyContainer } from 'tsyringe';
import { createTestSettings } from './test-settings';

export interface TestAppOptions<S extends ConsumerServiceSettings> extends Partial<BootstrapOptions> {
  /** Settings to use (default `createTestSettings()`). */
  readonly settings?: S;
  /** Replace registrations before the app starts, e.g. `c => c.register(Mailer, { useValue: fakeMailer })`. */
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
  const configure = rest.lifecycle?.configure;
  const app = await bootstrap(settings, {
    controllers: [],
    ...rest,
    lifecycle: {
      ...rest.lifecycle,
      configure: async (context) => {
        overrides?.(context.container);
        await configure?.(context);
      },
    },
  });
  const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  return { app, url, close: () => app.close() };
}
