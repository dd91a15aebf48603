// Step c: + @m8/health (readiness at {API_PREFIX}/health/, liveness at {API_PREFIX}/ping).
import 'reflect-metadata';
import { bootstrap, ConsumerServiceSettings } from '@m8/core';
import { HealthConfig } from '@m8/health';
import { GreetingController } from './greeting';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const settings = ConsumerServiceSettings.load({ envFile: false });
  const app = await bootstrap(settings, { controllers: [GreetingController], plugins: [new HealthConfig()] });
  await serve(app);
}

main().catch(fail);
