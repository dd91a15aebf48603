/*
 * Requests/s of an authenticated HS256 GET with one reused token (a measurement script, not a
 * test): raw Koa + jose (key as bytes, and imported once) against an m8 app (bootstrap + @m8/auth).
 * Each server runs in its own process; the load generator (keep-alive, fixed concurrency) here.
 * Rounds are interleaved; medians printed. Run after `tsc -b packages/core packages/auth packages/testing`:
 *   node packages/auth/scripts/measure-http.cjs [seconds-per-round=4] [rounds=3] [concurrency=32]
 */
'use strict';
const { fork } = require('node:child_process');
const http = require('node:http');

const SECRET = 'AuthSdkM8-Fixture_TrustedTestKey-2026-DoNotUseInProd!';
const [seconds = 4, rounds = 3, concurrency = 32] = process.argv.slice(2).map(Number);

function serve(kind) {
  process.on('message', (message) => message === 'exit' && process.exit(0)); // lets --cpu-prof write its file
  require('reflect-metadata');
  const Koa = require('koa');
  if (kind === 'koa-jose' || kind === 'koa-jose-cryptokey') {
    const { jwtVerify } = require('jose');
    const raw = new TextEncoder().encode(SECRET);
    const keyPromise = kind === 'koa-jose' ? Promise.resolve(raw) : crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    keyPromise.then((key) => {
      const app = new Koa();
      app.use(async (ctx) => {
        const header = ctx.headers.authorization;
        if (!header || !header.startsWith('Bearer ')) {
          ctx.status = 401;
          ctx.body = { detail: 'Not authenticated' };
          return;
        }
        try {
          const { payload } = await jwtVerify(header.slice(7), key, { algorithms: ['HS256'] });
          ctx.body = { ok: true, sub: payload.sub };
        } catch {
          ctx.status = 401;
          ctx.body = { detail: 'Could not validate credentials.' };
        }
      });
      const server = app.listen(0, '127.0.0.1', () => process.send(server.address().port));
    });
    return;
  }
  const { bootstrap, ConsumerServiceSettings } = require('../../core/dist');
  const { buildAuthDeps } = require('../dist');
  const { Authorized, CurrentUser, Get, JsonController } = require('routing-controllers');
  class ItemsController {
    list(user) {
      return { ok: true, sub: user.id };
    }
  }
  Get('/')(ItemsController.prototype, 'list', Object.getOwnPropertyDescriptor(ItemsController.prototype, 'list'));
  Authorized()(ItemsController.prototype, 'list', Object.getOwnPropertyDescriptor(ItemsController.prototype, 'list'));
  CurrentUser()(ItemsController.prototype, 'list', 0);
  JsonController('/items')(ItemsController);
  const settings = ConsumerServiceSettings.load({
    values: { PROJECT_NAME: 'bench', TOKEN_MODE: 'stateless', AUTH_SERVICE_ROLE: 'consumer', ACCESS_SECRET_KEY: SECRET, LOG_LEVEL: 'warn' },
    env: {},
    envFile: false,
  });
  bootstrap(settings, { controllers: [ItemsController], plugins: [buildAuthDeps(settings)] })
    .then((app) => app.listen({ port: 0, host: '127.0.0.1', handleSignals: false }))
    .then(({ server }) => process.send(server.address().port));
}

async function load(port, path, token, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let done = 0;
  let failed = 0;
  const until = Date.now() + ms;
  const one = () =>
    new Promise((resolve) => {
      const req = http.request({ port, host: '127.0.0.1', path, agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) done += 1;
          else failed += 1;
          resolve();
        });
      });
      req.on('error', () => {
        failed += 1;
        resolve();
      });
      req.end();
    });
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) await one();
  }));
  agent.destroy();
  return { rps: done / (ms / 1000), failed };
}

async function main() {
  const { TokenFactory } = require('../../testing/dist/tokens');
  const token = TokenFactory.hs256(SECRET).mint();
  const kinds = { 'koa-jose': '/', 'koa-jose-cryptokey': '/', m8: '/api/items/' };
  const servers = {};
  for (const kind of Object.keys(kinds)) {
    // M8_CPU_PROF=dir profiles the m8 server (node --cpu-prof) while it is measured.
    const execArgv = kind === 'm8' && process.env.M8_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.M8_CPU_PROF}`] : [];
    const child = fork(__filename, ['--serve', kind], { stdio: 'inherit', execArgv });
    servers[kind] = { child, port: await new Promise((resolve) => child.once('message', resolve)), results: [] };
  }
  for (let round = 0; round < rounds; round += 1) {
    for (const kind of Object.keys(kinds)) {
      const { rps, failed } = await load(servers[kind].port, kinds[kind], token, seconds * 1000);
      if (failed) throw new Error(`${kind}: ${failed} failed requests`);
      servers[kind].results.push(rps);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const base = median(servers['koa-jose'].results);
  for (const kind of Object.keys(kinds)) {
    const m = median(servers[kind].results);
    console.log(`${kind.padEnd(20)} ${m.toFixed(0).padStart(7)} req/s   ×${(m / base).toFixed(2)} vs koa-jose   rounds: ${servers[kind].results.map((r) => r.toFixed(0)).join(', ')}`);
  }
  for (const { child } of Object.values(servers)) child.send('exit');
}

if (process.argv[2] === '--serve') serve(process.argv[3]);
else main().catch((error) => {
  console.error(error);
  process.exit(1);
});
