// The m8 route: `bootstrap()` from @m8/core with `buildAuthDeps()` from @m8/auth and @m8/health,
// one `@JsonController('/items')` with `@Authorized() @Get('/')` returning the items JSON. Uses the
// BUILT packages (dist/), like a service would. Settings come from env only (no .env file):
// PROJECT_NAME, ACCESS_TOKEN_ALGORITHM, ACCESS_SECRET_KEY / ACCESS_PUBLIC_KEY_FILE, TOKEN_MODE,
// AUTH_SERVICE_ROLE, INTROSPECTION_URL, PRIVATE_API_SECRET, REVOCATION_CACHE_TTL_SECONDS, LOG_LEVEL...
'use strict';
require('reflect-metadata');
const { bootstrap, ConsumerServiceSettings, serve } = require('@m8/core');
const { buildAuthDeps } = require('@m8/auth');
const { HealthConfig } = require('@m8/health');
const { JsonController, Get, Authorized } = require('routing-controllers');
const { ITEMS } = require('./lib/common');

class ItemsController {
  list() {
    return ITEMS;
  }
}
const proto = ItemsController.prototype;
Get('/')(proto, 'list', Object.getOwnPropertyDescriptor(proto, 'list'));
Authorized()(proto, 'list', Object.getOwnPropertyDescriptor(proto, 'list'));
JsonController('/items')(ItemsController);

async function main() {
  if (typeof buildAuthDeps !== 'function') throw new Error('@m8/auth has no buildAuthDeps export (is packages/auth built?)');
  const settings = ConsumerServiceSettings.load({ envFile: false });
  const createApp = () =>
    bootstrap(settings, {
      controllers: [ItemsController],
      serviceName: 'bench-items',
      serviceVersion: '0.1.0',
      plugins: [buildAuthDeps(settings), new HealthConfig()],
    });
  // Core owns SIGTERM/SIGINT here: graceful close, then exit (which writes a --cpu-prof profile).
  // WORKERS > 1 (the cluster cases): this process is the primary and forks the workers.
  await serve(settings, createApp, { port: settings.PORT, host: '127.0.0.1' });
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
