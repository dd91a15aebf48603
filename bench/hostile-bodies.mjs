#!/usr/bin/env node
/**
 * What the worst request bodies cost the example service (examples/items-service, built): for each
 * shape and size, µs of wall time per request and µs of the server process's CPU per request, once
 * with the default BODY_MAX_DEPTH/BODY_MAX_FIELDS and once with both raised out of the way (what a
 * body would cost without them). The server runs as its own process, embedded SQLite in a temp file,
 * and is sent requests one at a time with a writer token.
 *
 *   node bench/hostile-bodies.mjs            # both configurations
 *   node bench/hostile-bodies.mjs --quick    # fewer repetitions, defaults only
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const { TokenFactory } = require('@m8/testing');
const SERVICE = fileURLToPath(new URL('../examples/items-service/dist/main.js', import.meta.url));
const SECRET = 'hostile-bodies-bench-secret-0123456789abcdef';
const quick = process.argv.includes('--quick');
const LIMIT = 1024 * 1024;

/** `{"title":"t","0":1,"1":1,...}` with n keys in all: the shape class-transformer pays the square of. */
const wide = (n) => JSON.stringify(Object.fromEntries([['title', 't'], ...Array.from({ length: n - 1 }, (_, i) => [i.toString(36), 1])]));
const deepArrays = (d) => '['.repeat(d) + ']'.repeat(d);
const deepObjects = (d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d);
const longArray = (n) => JSON.stringify({ title: 't', tags: Array.from({ length: n }, () => 1) });
const manyObjects = (n) => JSON.stringify({ title: 't', rows: Array.from({ length: n }, () => ({ a: 1 })) });
const longString = (n) => JSON.stringify({ title: 't', description: 'x'.repeat(n) });

const SHAPES = [
  ['valid item (reference)', [1], () => JSON.stringify({ title: 'ok', description: 'fine' }), {}],
  ['wide object (keys)', [1_000, 4_999, 10_000, 25_000, 100_000], wide, {}],
  ['wide object, gzip', [100_000], (n) => gzipSync(wide(n)), { 'content-encoding': 'gzip' }],
  ['deep arrays (levels)', [32, 33, 3_000, 500_000], deepArrays, {}],
  ['deep objects (levels)', [32, 3_000, 150_000], deepObjects, {}],
  ['long array (items)', [4_998, 100_000, 400_000], longArray, {}],
  ['array of objects (items)', [1_000, 2_498, 50_000], manyObjects, {}],
  ['long string (bytes)', [900_000], longString, {}],
  ['invalid UTF-8 (bytes)', [900_000], (n) => Buffer.concat([Buffer.from('{"title":"'), Buffer.alloc(n, 0xff), Buffer.from('"}')]), {}],
];

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
}

async function startService(env) {
  const dir = mkdtempSync(join(tmpdir(), 'm8-hostile-bench-'));
  const child = spawn(process.execPath, [SERVICE], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', ENVIRONMENT: 'local', DB_DATABASE: join(dir, 'items.sqlite3'), ACCESS_SECRET_KEY: SECRET, METRICS_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`items-service exited with ${code}: build it first (npm run build)`)));
  });
  child.stdout.resume();
  return { url, pid: child.pid, stop: () => (child.kill('SIGTERM'), rmSync(dir, { recursive: true, force: true })) };
}

async function measure(service, headers, body) {
  const maxReps = quick ? 5 : 40;
  const started = performance.now();
  const ticks = cpuTicks(service.pid);
  const statuses = new Set();
  let reps = 0;
  while (reps < maxReps && (reps < 3 || performance.now() - started < 2000)) {
    const res = await fetch(`${service.url}/api/items/`, { method: 'POST', headers, body });
    await res.arrayBuffer();
    statuses.add(res.status);
    reps++;
  }
  const wallUs = ((performance.now() - started) * 1000) / reps;
  const cpuUs = ((cpuTicks(service.pid) - ticks) * 10_000) / reps;
  return { statuses: [...statuses].join('/'), wallUs, cpuUs, reps };
}

async function pingDuring(service, headers, body) {
  const slow = fetch(`${service.url}/api/items/`, { method: 'POST', headers, body }).then((r) => r.arrayBuffer());
  await new Promise((r) => setTimeout(r, 5));
  const started = performance.now();
  await (await fetch(`${service.url}/api/ping`)).arrayBuffer();
  const pingMs = performance.now() - started;
  await slow;
  return pingMs;
}

const fmt = (us) => (us >= 10_000 ? `${Math.round(us / 1000)} ms` : `${Math.round(us)} µs`);

async function run(label, env) {
  const service = await startService(env);
  const writer = `Bearer ${TokenFactory.hs256(SECRET).mint({ role: 'writer', sub: '11111111-1111-4111-8111-111111111111' })}`;
  console.log(`\n### ${label}\n\n| shape | size | body bytes | status | wall µs/request | server CPU µs/request | requests |\n|---|---:|---:|---|---:|---:|---:|`);
  for (const [name, sizes, make, extra] of SHAPES) {
    for (const size of sizes) {
      const body = make(size);
      const bytes = Buffer.byteLength(body);
      if (bytes > LIMIT) continue;
      const headers = { authorization: writer, 'content-type': 'application/json', ...extra };
      const m = await measure(service, headers, body);
      console.log(`| ${name} | ${size.toLocaleString('en')} | ${bytes.toLocaleString('en')} | ${m.statuses} | ${fmt(m.wallUs)} | ${fmt(m.cpuUs)} | ${m.reps} |`);
    }
  }
  const ping = await pingDuring(service, { authorization: writer, 'content-type': 'application/json' }, wide(100_000));
  console.log(`\n/api/ping sent while a 100,000-key body is being handled: answered in ${ping.toFixed(0)} ms`);
  service.stop();
}

console.log(`hostile bodies against items-service (node ${process.version}, ${new Date().toISOString()})`);
await run('defaults: BODY_MAX_DEPTH=32, BODY_MAX_FIELDS=5000', {});
if (!quick) await run('limits raised out of the way: BODY_MAX_DEPTH=1000, BODY_MAX_FIELDS=1000000 (what the limits prevent)', { BODY_MAX_DEPTH: '1000', BODY_MAX_FIELDS: '1000000' });
