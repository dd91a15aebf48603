// The smoke run CI does on each supported Node line other than the one the whole suite runs on
// (run it with that line's node first on PATH): build from scratch, start the example and answer a
// guarded request with and without a token, then the packaging test (tarballs installed with npm).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, pnpmBin } from './tools.mjs';

const started = Date.now();
const log = (message) => console.error(`smoke (node ${process.version}): ${message}`);

function step(what, args) {
  log(what);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    log(`${what} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

/** Starts the built example, waits for its banner, and checks a guarded route with and without a token. */
async function exampleAnswers() {
  const data = mkdtempSync(join(tmpdir(), 'm8-smoke-'));
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: join(root, 'examples', 'items-service'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DB_DATABASE: join(data, 'items.sqlite3') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const banner = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no banner within 60 s:\n${out}`)), 60_000);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const curl = /^curl -i -H "Authorization: Bearer ([^"]+)" (http:\/\/\S+\/items\/)$/m.exec(out);
        if (curl) {
          clearTimeout(timer);
          resolve({ token: curl[1], url: curl[2] });
        }
      });
      void exited.then((code) => reject(new Error(`the example exited (${code}) before its banner:\n${out}`)));
    });
    const withToken = await fetch(banner.url, { headers: { Authorization: `Bearer ${banner.token}` } });
    const without = await fetch(banner.url);
    log(`GET ${banner.url}: ${withToken.status} with a token, ${without.status} without`);
    if (withToken.status !== 200 || without.status !== 401) throw new Error(`expected 200 and 401, got ${withToken.status} and ${without.status}`);
  } finally {
    child.kill('SIGTERM');
    const code = await exited;
    rmSync(data, { recursive: true, force: true });
    if (code !== 0) throw new Error(`the example exited ${code} after SIGTERM (expected 0)`);
  }
}

step('install and build', [join(root, 'scripts', 'setup.mjs')]);
log('start the example');
try {
  await exampleAnswers();
} catch (error) {
  log(`the example failed: ${error.message}`);
  process.exit(1);
}
step('packaging test', [pnpmBin(), 'exec', 'vitest', 'run', 'test/packaging.test.ts']);
log(`passed in ${Math.round((Date.now() - started) / 1000)} s`);
