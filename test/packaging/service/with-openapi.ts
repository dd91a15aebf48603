// Step f: + @m8/openapi ({API_PREFIX}/openapi.json, /docs and /redoc with their own assets).
import 'reflect-metadata';
import { bootstrap, ConsumerServiceSettings } from '@m8/core';
import { buildAuthDeps } from '@m8/auth';
import { openapi } from '@m8/openapi';
import { GreetingController } from './greeting';
import { ReportsController } from './reports';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const settings = ConsumerServiceSettings.load({ envFile: false });
  const app = await bootstrap(settings, {
    controllers: [GreetingController, ReportsController],
    plugins: [buildAuthDeps(settings), openapi()],
  });
  await serve(app);
}

main().catch(fail);
