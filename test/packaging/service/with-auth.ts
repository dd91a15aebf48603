// Step b: + @m8/auth (a guarded route) and @m8/testing (tokens for the test's requests).
import 'reflect-metadata';
import { bootstrap, ConsumerServiceSettings } from '@m8/core';
import { buildAuthDeps } from '@m8/auth';
import { TokenFactory } from '@m8/testing';
import { GreetingController } from './greeting';
import { ReportsController } from './reports';
import { fail, serve } from './serve';

async function main(): Promise<void> {
  const settings = ConsumerServiceSettings.load({ envFile: false });
  const app = await bootstrap(settings, {
    controllers: [GreetingController, ReportsController],
    plugins: [buildAuthDeps(settings)],
  });
  const tokens = TokenFactory.hs256(settings.ACCESS_SECRET_KEY!);
  await serve(app, {
    admin: tokens.mint({ role: 'admin', email: 'admin@example.com' }),
    user: tokens.mint({ role: 'user', email: 'user@example.com' }),
  });
}

main().catch(fail);
