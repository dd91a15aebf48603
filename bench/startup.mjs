// Start-up and idle memory only: starts raw Koa + jose, routing-controllers + Koa + jose, Fastify and m8 (HS256, stateless, no database) one
// after the other, alternating, `--runs` times each, pinned to cpu 0 like run.mjs, and reports per
// target the median (min–max) of spawn → first 200 on the authenticated route and of the idle RSS
// just after, plus m8 ÷ koa-jose. Usage: node startup.mjs [--runs N]   (after a build)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCredentials } from './lib/tokens.mjs';
import { buildCases } from './lib/cases.mjs';
import { median } from './lib/report.mjs';
import { pinningAvailable, rssMiB, startProcess, stopProcess, waitForOk } from './lib/procs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runsIndex = process.argv.indexOf('--runs');
const RUNS = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 7;

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'm8-startup-'));
try {
  const credentials = (await makeCredentials(tmp, ['HS256'], 3600)).HS256;
  const cases = buildCases({ only: ['koa-jose', 'rc-koa-jose', 'fastify-jwt', 'm8-stateless'], algorithms: ['HS256'] }, '');
  const pin = pinningAvailable();
  const samples = new Map(cases.map((c) => [c.name, { startup: [], rss: [] }]));
  const load = loadavg();
  for (let run = 0; run < RUNS; run++) {
    for (const kase of run % 2 ? [...cases].reverse() : cases) {
      const port = await freePort();
      const startedAt = performance.now();
      const proc = startProcess({ file: join(here, 'servers', kase.server), env: { ...kase.env, ...credentials.env, PORT: String(port) }, cwd: here, pin });
      try {
        const ms = await waitForOk(proc, `http://127.0.0.1:${port}${kase.path}`, { authorization: `Bearer ${credentials.token}` }, startedAt);
        await new Promise((resolve) => setTimeout(resolve, 100));
        samples.get(kase.name).startup.push(ms);
        samples.get(kase.name).rss.push(rssMiB(proc.pid));
      } finally {
        await stopProcess(proc);
      }
    }
  }
  const koa = samples.get('koa-jose');
  console.log(`${RUNS} alternating start-ups per target, ${pin ? 'pinned to cpu 0' : 'unpinned'}, load average ${load.map((l) => l.toFixed(2)).join(' ')} at start, ${loadavg().map((l) => l.toFixed(2)).join(' ')} at end\n`);
  console.log('| target | ready ms, median (min–max) | idle RSS MiB, median (min–max) | ready ÷ koa-jose | RSS ÷ koa-jose |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, s] of samples) {
    const range = (v, d) => `${median(v).toFixed(d)} (${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)})`;
    console.log(`| ${name} | ${range(s.startup, 0)} | ${range(s.rss, 1)} | ${(median(s.startup) / median(koa.startup)).toFixed(2)}× | ${(median(s.rss) / median(koa.rss)).toFixed(2)}× |`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
