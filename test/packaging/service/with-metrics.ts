// Step e: + @m8/metrics (GET /metrics, Prometheus text).
import 'reflect-metadata';
import { bootstrap, ConsumerServiceSettings } from '@m8/core';
import { metrics } from '@m8/metrics';
import { GreetingController } from './greeting';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const settings = ConsumerServiceSettings.load({ envFile: false, values: { METRICS_ENABLED: true } });
  const app = await bootstrap(settings, { controllers: [GreetingController], plugins: [metrics()] });
  await serve(app);
}

main().catch(fail);
