// Step a: @m8/core alone.
import 'reflect-metadata';
import { bootstrap, ConsumerServiceSettings } from '@m8/core';
import { GreetingController } from './greeting';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const settings = ConsumerServiceSettings.load({ envFile: false });
  const app = await bootstrap(settings, { controllers: [GreetingController] });
  await serve(app);
}

main().catch(fail);
