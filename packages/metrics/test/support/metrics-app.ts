/** A real listening m8 app (core's `bootstrap()`) with small probe controllers, for metrics tests. */
import { Agent, request } from 'node:http';
import { Body, Get, JsonController, Param, Post } from 'routing-controllers';
import { ConsumerServiceSettings, HttpProblem, bootstrap, type M8App, type M8Plugin } from '@m8/core';
import { metrics, type MetricsPlugin } from '@m8/metrics';
import { parseExposition, type Exposition } from './exposition';

@JsonController('/probe')
export class ProbeController {
  @Get('/ok')
  ok() {
    return { ok: true };
  }

  @Get('/items/:id')
  item(@Param('id') id: string) {
    return { id };
  }

  @Get('/private')
  private() {
    throw new HttpProblem(401, 'Not authenticated', { headers: { 'WWW-Authenticate': 'Bearer' } });
  }

  @Get('/boom')
  boom() {
    throw new Error('kaboom');
  }

  @Get('/slow')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 40));
    return { slow: true };
  }

  @Post('/echo')
  echo(@Body() body: unknown) {
    return body;
  }
}

/** Hermetic settings: no `.env`, no process environment, silent logs, metrics on. */
export function metricsSettings(overrides: Record<string, unknown> = {}): ConsumerServiceSettings {
  return ConsumerServiceSettings.load({
    values: {
      PROJECT_NAME: 'metrics-test',
      ACCESS_SECRET_KEY: 'metrics-test-secret-key-0123456789abcdef',
      TOKEN_MODE: 'stateless',
      AUTH_SERVICE_ROLE: 'consumer',
      LOG_LEVEL: 'silent',
      METRICS_ENABLED: true,
      BODY_LIMIT_BYTES: 1024,
      ...overrides,
    },
    env: {},
    envFile: false,
  });
}

export interface MetricsApp {
  readonly app: M8App;
  readonly url: string;
  /** The plugin instance, unless the test left it out. */
  readonly plugin: MetricsPlugin | undefined;
  get(path: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>;
  scrape(headers?: Record<string, string>): Promise<Exposition>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly settings?: ConsumerServiceSettings;
  /** Default true: list the metrics plugin (false: leave it out of the list). */
  readonly explicitPlugin?: boolean;
  readonly plugins?: readonly M8Plugin[];
}

/** Boots a real app on 127.0.0.1 with an ephemeral port and a keep-alive client. */
export async function startMetricsApp(options: StartOptions = {}): Promise<MetricsApp> {
  const settings = options.settings ?? metricsSettings();
  const plugin = options.explicitPlugin === false ? undefined : metrics();
  const app = await bootstrap(settings, {
    controllers: [ProbeController],
    plugins: [...(plugin ? [plugin] : []), ...(options.plugins ?? [])],
  });
  const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const get: MetricsApp['get'] = (path, init = {}) =>
    new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { method: init.method ?? 'GET', headers: init.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(init.body);
    });
  return {
    app,
    url,
    plugin,
    get,
    async scrape(headers = {}) {
      const res = await get('/metrics', { headers });
      if (res.status !== 200) throw new Error(`scrape answered ${res.status}: ${res.text}`);
      return parseExposition(res.text);
    },
    async close() {
      agent.destroy();
      await app.close();
    },
  };
}

/** Runs `count` calls of `task` with at most `concurrency` in flight. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
