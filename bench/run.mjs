// The benchmark: every target as a child process pinned to one core, the load generators (autocannon
// in this process, wrk as a child) pinned to the other, all series (case × load generator × token
// workload) measured in ONE interleaved run (warm-up, then N rounds of every series in a shuffled
// order). Prints a markdown table and writes JSON to bench/results/.
// Usage: `npm run bench` at the repo root, or `node run.mjs --help` here (after a build).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { parseOptions, USAGE } from './lib/options.mjs';
import { makeCredentials } from './lib/tokens.mjs';
import { buildCases, REVOCATION_SECRET } from './lib/cases.mjs';
import { checkCase } from './lib/checks.mjs';
import { request } from './lib/http.mjs';
import { cpuSeconds, lastLines, pinningAvailable, pinSelf, rssMiB, startProcess, stopProcess, waitForOk } from './lib/procs.mjs';
import { ensureWrk, prepareWrkFiles, runLoad } from './lib/loaders.mjs';
import { createBenchDatabase } from './lib/database.mjs';
import { addRatios, goals, goalsMarkdown, markdownTable, summarise } from './lib/report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');
const profilesDir = join(resultsDir, 'profiles');
const require = createRequire(import.meta.url);
const NO_CREDENTIALS = { env: {} }; // the node-floor target has no algorithm
const PAUSE_MS = 300; // lets the previous target's sockets close before the next measurement

const log = (...args) => console.error('[bench]', ...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Why the m8 target cannot run yet (packages not built), or undefined when it can. */
function m8Unavailable() {
  try {
    if (typeof require('@m8/core').bootstrap !== 'function') return '@m8/core has no bootstrap export: run `npm run build`';
    if (typeof require('@m8/auth').buildAuthDeps !== 'function') return '@m8/auth has no buildAuthDeps export (not built yet?)';
    if (typeof require('@m8/health').HealthConfig !== 'function') return '@m8/health has no HealthConfig export (not built yet?)';
  } catch (error) {
    return `cannot load the m8 packages: ${error.message.split('\n')[0]}`;
  }
  return undefined;
}

const running = new Set();
async function stopAll() {
  await Promise.all([...running].map((proc) => stopProcess(proc).finally(() => running.delete(proc))));
}
process.on('exit', () => {
  for (const proc of running) if (proc.alive) proc.child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping the servers`);
    stopAll().finally(() => process.exit(130));
  });
}

async function startCase(kase, credentials, options) {
  const port = await freePort();
  const nodeArgs = options.profile ? ['--cpu-prof', '--cpu-prof-dir', profilesDir] : [];
  const startedAt = performance.now();
  const proc = startProcess({ file: join(here, 'servers', kase.server), env: { ...kase.env, ...credentials.env, PORT: String(port) }, cwd: here, pin: options.pin && !kase.unpinned, nodeArgs });
  running.add(proc);
  kase.proc = proc;
  kase.pid = proc.pid;
  kase.baseUrl = `http://127.0.0.1:${port}`;
  const headers = kase.kind !== 'route' ? {} : { authorization: `Bearer ${credentials.token}` };
  kase.startupMs = await waitForOk(proc, kase.baseUrl + kase.path, headers, startedAt);
  await sleep(100);
  kase.idleRssMiB = rssMiB(proc.pid);
}

async function revocationCalls(url) {
  if (!url) return undefined;
  const res = await request(url.replace(/\/jti-status$/, '/count'));
  return JSON.parse(res.body).calls;
}

/** The tokens a series sends: none (anonymous), the one repeated token, or the distinct list. */
function seriesTokens(series, credentials) {
  if (series.kase.kind !== 'route') return [];
  return series.workload === 'distinct' ? credentials.distinct : [credentials.token];
}

async function measure(series, credentials, options, seconds, context) {
  const { kase } = series;
  const stateful = kase.mode.startsWith('stateful');
  const callsBefore = stateful ? await revocationCalls(context.revocationUrl) : undefined;
  const cpuBefore = cpuSeconds(kase.pid);
  const result = await runLoad(series.loader, {
    url: kase.baseUrl + kase.path,
    connections: options.connections,
    seconds,
    tokens: seriesTokens(series, credentials),
    tokensFile: kase.kind !== 'route' ? undefined : context.wrk?.files.get(series.workload === 'distinct' ? `${kase.alg}-distinct` : `${kase.alg}-repeated`),
    script: context.wrk?.script,
    pin: options.pin,
  });
  const cpuAfter = cpuSeconds(kase.pid);
  const callsAfter = stateful ? await revocationCalls(context.revocationUrl) : undefined;
  const ok = result.requests;
  return {
    rps: ok / result.seconds,
    requests: ok,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    cpuUsPerRequest: cpuBefore !== undefined && cpuAfter !== undefined && ok ? ((cpuAfter - cpuBefore) * 1e6) / ok : undefined,
    revocationCalls: stateful ? callsAfter - callsBefore : undefined,
  };
}

/** Token workloads a case runs: the distinct-token one only where a token is verified without revocation calls. */
function workloadsOf(kase, options) {
  if (kase.kind !== 'route') return ['repeated'];
  return options.workloads.filter((w) => w === 'repeated' || kase.distinctTokens);
}

/** mulberry32: a tiny seeded generator, so a run's case order can be replayed with `--seed`. */
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Each round runs every case once, in a fresh shuffled order: noise on this shared machine comes in
 * bursts, and a fixed order would hand the same burst to the same neighbours every round.
 */
function roundOrder(cases, random) {
  const order = [...cases];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (options.pin && !pinningAvailable()) {
    log('taskset or a second core is missing: running unpinned (numbers are less comparable)');
    options.pin = false;
  }
  if (options.pin) pinSelf();
  mkdirSync(resultsDir, { recursive: true });
  if (options.profile) mkdirSync(profilesDir, { recursive: true });

  const tmp = mkdtempSync(join(tmpdir(), 'm8-bench-'));
  const started = new Date();
  const startLoad = loadavg();
  let revocation;
  let database;
  try {
    const credentials = await makeCredentials(tmp, options.algorithms, 6 * 3600, options.workloads.includes('distinct') ? options.distinctTokens : 0);
    if (options.loaders.includes('wrk') && !ensureWrk(log)) options.loaders = options.loaders.filter((l) => l !== 'wrk');
    const wrk = options.loaders.includes('wrk')
      ? prepareWrkFiles(tmp, Object.entries(credentials).flatMap(([alg, c]) => [[`${alg}-repeated`, [c.token]], [`${alg}-distinct`, c.distinct]]))
      : undefined;
    const revocationPort = await freePort();
    const revocationUrl = `http://127.0.0.1:${revocationPort}/jti-status`;
    const cases = buildCases(options, revocationUrl);
    if (cases.length === 0) throw Object.assign(new Error('no case selected (check --only and --alg)'), { usage: true });
    const unavailable = cases.some((c) => c.target === 'm8') ? m8Unavailable() : undefined;
    if (cases.some((c) => c.db)) {
      try {
        database = await createBenchDatabase();
        log(`database ${database.name}: ${database.expected.length} rows (dropped at the end)`);
        for (const c of cases.filter((k) => k.db)) Object.assign(c, { env: { ...c.env, DATABASE_URL: database.url }, expected: database.expected });
      } catch (error) {
        for (const c of cases.filter((k) => k.db)) c.broken = error.message;
      }
    }

    if (cases.some((c) => c.mode.startsWith('stateful'))) {
      revocation = startProcess({ file: join(here, 'servers', 'revocation.js'), env: { PORT: String(revocationPort), PRIVATE_API_SECRET: REVOCATION_SECRET }, cwd: here, pin: options.pin });
      running.add(revocation);
      await waitForOk(revocation, revocationUrl.replace(/\/jti-status$/, '/count'), {}, performance.now());
    }

    log(`${cases.length} cases × ${options.loaders.join('+')} × ${options.workloads.join('+')} tokens (${options.distinctTokens} distinct), ${options.rounds} rounds × ${options.duration} s, warm-up ${options.warmup} s, ${options.connections} connections, ${options.pin ? 'server on cpu 0, load on cpu 1' : 'unpinned'}, order seed ${options.seed}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const kase of cases) {
      if (kase.broken) continue;
      if (kase.target === 'm8' && unavailable) {
        kase.broken = unavailable;
        continue;
      }
      try {
        await startCase(kase, credentials[kase.alg] ?? NO_CREDENTIALS, options);
        const problems = await checkCase(kase, kase.baseUrl, credentials[kase.alg] ?? NO_CREDENTIALS);
        if (problems.length) kase.broken = `failed the check: ${problems.join('; ')}`;
      } catch (error) {
        kase.broken = error.message;
      }
      if (kase.broken && kase.proc) {
        await stopProcess(kase.proc);
        running.delete(kase.proc);
      }
      log(`${kase.key}: ${kase.broken ? `BROKEN (${kase.broken})` : `ready in ${kase.startupMs.toFixed(0)} ms, idle RSS ${kase.idleRssMiB?.toFixed(1)} MiB`}`);
    }

    const live = cases.filter((c) => !c.broken);
    const credentialsOf = (kase) => credentials[kase.alg] ?? NO_CREDENTIALS;
    const context = { revocationUrl, wrk };
    const allSeries = live.flatMap((kase) =>
      options.loaders.flatMap((loader) => workloadsOf(kase, options).map((workload) => ({ kase, loader, workload, key: `${kase.key}/${loader}/${workload}`, samples: [] }))),
    );
    for (const series of allSeries) {
      await measure(series, credentialsOf(series.kase), options, options.warmup, context);
      await sleep(PAUSE_MS);
    }
    const random = seededRandom(options.seed);
    for (let r = 0; r < options.rounds; r++) {
      for (const series of roundOrder(allSeries, random)) {
        const { kase } = series;
        if (kase.broken) continue;
        const sample = await measure(series, credentialsOf(kase), options, options.duration, context);
        if (!kase.proc.alive) {
          kase.broken = `died under load (round ${r + 1}): ${lastLines(kase.proc.stderr)}`;
          log(`${kase.key}: BROKEN (${kase.broken})`);
          continue;
        }
        series.samples.push(sample);
        log(`round ${r + 1}/${options.rounds} ${series.key}: ${sample.rps.toFixed(0)} req/s, p99 ${sample.p99Ms} ms, ${sample.cpuUsPerRequest?.toFixed(0)} µs CPU/request${sample.non2xx || sample.errors ? `, ${sample.non2xx} non-2xx, ${sample.errors} errors` : ''}`);
        await sleep(PAUSE_MS);
      }
    }
    for (const kase of live) if (!kase.broken) kase.rssAfterMiB = rssMiB(kase.pid);
    const measured = allSeries.filter((s) => !s.kase.broken);
    for (const series of measured) series.stats = summarise(series);
    await stopAll();
    addRatios(measured);

    const table = markdownTable(cases, measured);
    const goalList = goals(cases, measured);
    const meta = {
      date: started.toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      pinned: options.pin,
      rounds: options.rounds,
      durationSeconds: options.duration,
      warmupSeconds: options.warmup,
      connections: options.connections,
      loaders: options.loaders,
      workloads: options.workloads,
      distinctTokens: options.distinctTokens,
      loadAverageAtStart: startLoad,
      loadAverageAtEnd: loadavg(),
      seed: options.seed,
      profile: options.profile ? profilesDir : undefined,
    };
    const heading = `Node ${meta.node}, ${meta.cores} cores (${meta.cpu}), ${meta.pinned ? 'server pinned to cpu 0, load generator to cpu 1' : 'unpinned'}; ${meta.loaders.join(' and ')} (wrk: 1 thread); ${meta.rounds} rounds × ${meta.durationSeconds} s, ${meta.connections} connections, ${meta.distinctTokens} distinct tokens, one interleaved run (order seed ${meta.seed}), load average ${meta.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start, ${meta.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')} at end, ${meta.date}`;
    const markdown = `${heading}\n\n${table}\n\n${goalsMarkdown(goalList)}\n`;
    console.log(`\n${markdown}`);
    const json = {
      meta,
      cases: cases.map(({ proc, env, ...c }) => ({ ...c, settings: Object.keys(env) })),
      series: measured.map(({ kase, ...s }) => ({ ...s, case: kase.key })),
      goals: goalList,
    };
    const stamp = started.toISOString().replace(/[:.]/g, '-');
    writeFileSync(join(resultsDir, `bench-${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(join(resultsDir, 'latest.md'), markdown);
    log(`results: bench/results/bench-${stamp}.json (and latest.json, latest.md)`);
    if (options.profile) {
      const pids = live.map((c) => `${c.key}=pid ${c.pid}`).join(', ');
      log(`CPU profiles in bench/results/profiles/ (CPU.<date>.<pid>.*.cpuprofile): ${pids}`);
    }
  } finally {
    await stopAll();
    if (database) {
      await database.drop().then(
        () => log(`database ${database.name} dropped`),
        (error) => log(`could not drop database ${database.name}: ${error.message}`),
      );
    }
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error.usage ? error.message : error.stack || error.message);
  stopAll().finally(() => process.exit(1));
});
