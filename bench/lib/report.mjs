// Statistics over rounds, the markdown tables, and the performance goals checked against this run.
// A "series" is one case (server process) under one load generator with one token workload.
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per series: median req/s over rounds, its spread, median p99 and CPU per request, revocation calls per request. */
export function summarise(series) {
  const rps = series.samples.map((s) => s.rps);
  const calls = series.samples.filter((s) => s.revocationCalls !== undefined);
  const requests = calls.reduce((n, s) => n + s.requests, 0);
  return {
    medianRps: median(rps),
    minRps: rps.length ? Math.min(...rps) : undefined,
    maxRps: rps.length ? Math.max(...rps) : undefined,
    p99Ms: median(series.samples.map((s) => s.p99Ms)),
    p50Ms: median(series.samples.map((s) => s.p50Ms)),
    cpuUsPerRequest: median(series.samples.map((s) => s.cpuUsPerRequest)),
    failedResponses: series.samples.reduce((n, s) => n + s.non2xx + s.errors + s.timeouts, 0),
    revocationCallsPerRequest: calls.length && requests ? calls.reduce((n, s) => n + s.revocationCalls, 0) / requests : undefined,
  };
}

/** The measured series of case `name`/`alg` under `loader` with `workload`. */
export function findSeries(series, name, alg, loader, workload) {
  return series.find((s) => s.kase.name === name && s.kase.alg === alg && s.loader === loader && s.workload === workload && s.stats?.medianRps);
}

function ratio(a, b) {
  return a?.stats?.medianRps && b?.stats?.medianRps ? a.stats.medianRps / b.stats.medianRps : undefined;
}

/** Median over rounds of the ratio within each round (measured minutes apart at most): robust to drift. */
function pairedRatio(a, b) {
  if (!a?.samples || !b?.samples) return undefined;
  const n = Math.min(a.samples.length, b.samples.length);
  return median(Array.from({ length: n }, (_, r) => a.samples[r].rps / b.samples[r].rps));
}

/** min–max of the per-round ratios: how far one interleaved round can move the ratio. */
function ratioSpread(a, b) {
  if (!a?.samples || !b?.samples) return undefined;
  const n = Math.min(a.samples.length, b.samples.length);
  const r = Array.from({ length: n }, (_, i) => a.samples[i].rps / b.samples[i].rps);
  return r.length ? [Math.min(...r), Math.max(...r)] : undefined;
}

/**
 * Adds to every route series its ratio to the baseline (`koa-jose`, or the case's own `baseline`) and
 * to its `peer` (`fastify-jwt` by default) with the same algorithm, load generator and workload, and for
 * a distinct-token series the ratio to the same case's repeated-token series. Ratios of medians as
 * printed, plus per-round paired medians and spreads in the JSON.
 */
export function addRatios(series) {
  for (const s of series) {
    if (!s.stats || s.kase.kind === 'health' || s.kase.kind === 'floor') continue;
    const { alg, target } = s.kase;
    const baseline = findSeries(series, s.kase.baseline ?? 'koa-jose', alg, s.loader, s.workload);
    if (baseline !== s) {
      s.stats.vsBaseline = ratio(s, baseline);
      s.stats.vsBaselinePaired = pairedRatio(s, baseline);
    }
    if (target === 'm8') {
      const peer = findSeries(series, s.kase.peer ?? 'fastify-jwt', alg, s.loader, s.workload);
      s.stats.vsPeer = ratio(s, peer);
      s.stats.vsPeerPaired = pairedRatio(s, peer);
      s.stats.vsPeerSpread = ratioSpread(s, peer);
    }
    if (s.workload === 'distinct') {
      const repeated = findSeries(series, s.kase.name, alg, s.loader, 'repeated');
      s.stats.vsRepeated = ratio(s, repeated);
      s.stats.vsRepeatedSpread = ratioSpread(s, repeated);
    }
  }
}

const fmt = (v, digits = 0) => (v === undefined || v === null || Number.isNaN(v) ? '—' : v.toFixed(digits));
const times = (v) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
const spread = (r) => (r ? ` (${r[0].toFixed(2)}–${r[1].toFixed(2)})` : '');

/** The throughput table (one row per series) and the per-case start-up/memory table. */
export function markdownTable(cases, series) {
  const lines = [
    '| case | alg | load | tokens | req/s (median) | min–max | p99 ms | CPU µs/req | vs baseline | vs peer (round min–max) | distinct ÷ repeated | notes |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const s of series) {
    const st = s.stats;
    const notes = [s.kase.note];
    if (st.revocationCallsPerRequest !== undefined) notes.push(`${st.revocationCallsPerRequest.toFixed(3)} revocation calls/request`);
    if (st.failedResponses) notes.push(`${st.failedResponses} non-2xx/errors under load`);
    lines.push(
      `| ${s.kase.name} | ${s.kase.alg} | ${s.loader} | ${s.kase.kind === 'route' ? s.workload : '—'} | ${fmt(st.medianRps)} | ${fmt(st.minRps)}–${fmt(st.maxRps)} | ${fmt(st.p99Ms, 1)} | ${fmt(st.cpuUsPerRequest)} | ${times(st.vsBaseline)} | ${times(st.vsPeer)}${spread(st.vsPeerSpread)} | ${times(st.vsRepeated)}${spread(st.vsRepeatedSpread)} | ${notes.filter(Boolean).join('; ')} |`,
    );
  }
  const start = ['| case | alg | start-up ms | idle RSS MiB | RSS after MiB | status |', '|---|---|---:|---:|---:|---|'];
  for (const c of cases) {
    start.push(`| ${c.name} | ${c.alg} | ${fmt(c.startupMs)} | ${fmt(c.idleRssMiB, 1)} | ${fmt(c.rssAfterMiB, 1)} | ${c.broken ? `BROKEN: ${c.broken.replace(/\|/g, '/').slice(0, 300)}` : 'ok'} |`);
  }
  return `${lines.join('\n')}\n\n${start.join('\n')}`;
}

function caseOf(cases, name, alg) {
  return cases.find((c) => c.name === name && c.alg === alg && !c.broken);
}

/** The performance goals (bench/README.md), each with the measured value and whether this run meets it. */
export function goals(cases, series) {
  const out = [];
  const push = (goal, value, met) => out.push({ goal, value, met: value === undefined ? undefined : met(value) });
  for (const loader of new Set(series.map((s) => s.loader))) {
    push(`m8-stateless HS256 repeated ≥ 1.0× fastify-jwt (${loader})`, ratio(findSeries(series, 'm8-stateless', 'HS256', loader, 'repeated'), findSeries(series, 'fastify-jwt', 'HS256', loader, 'repeated')), (v) => v >= 1.0);
    for (const alg of new Set(series.filter((s) => s.workload === 'distinct').map((s) => s.kase.alg))) {
      push(`m8-stateless ${alg} distinct ≥ 0.9× its repeated (${loader})`, ratio(findSeries(series, 'm8-stateless', alg, loader, 'distinct'), findSeries(series, 'm8-stateless', alg, loader, 'repeated')), (v) => v >= 0.9);
    }
    const w1 = findSeries(series, 'm8-workers-1', 'HS256', loader, 'repeated');
    const w2 = findSeries(series, 'm8-workers-2', 'HS256', loader, 'repeated');
    if (w1 && w2) out.push({ goal: `WORKERS=2 ÷ WORKERS=1 throughput, unpinned (${loader}); CPU µs/request ${w2.stats.cpuUsPerRequest?.toFixed(0)} vs ${w1.stats.cpuUsPerRequest?.toFixed(0)}`, value: ratio(w2, w1), met: null });
    push(`m8-db ≥ nest-db (${loader})`, ratio(findSeries(series, 'm8-db', 'HS256', loader, 'repeated'), findSeries(series, 'nest-db', 'HS256', loader, 'repeated')), (v) => v >= 1.0);
    push(`m8-db ≥ 1.0× fastify-db (${loader})`, ratio(findSeries(series, 'm8-db', 'HS256', loader, 'repeated'), findSeries(series, 'fastify-db', 'HS256', loader, 'repeated')), (v) => v >= 1.0);
  }
  const m8 = caseOf(cases, 'm8-stateless', 'HS256');
  const koa = caseOf(cases, 'koa-jose', 'HS256');
  out.push({ goal: 'm8-stateless HS256 ready < 400 ms', value: m8?.startupMs, unit: 'ms', met: m8 ? m8.startupMs < 400 : undefined });
  const rss = m8 && koa ? m8.idleRssMiB / koa.idleRssMiB : undefined;
  push('m8-stateless idle RSS ≤ 1.2× koa-jose (HS256)', rss, (v) => v <= 1.2);
  return out;
}

export function goalsMarkdown(list) {
  const lines = ['| goal | measured | met |', '|---|---:|---|'];
  for (const g of list) lines.push(`| ${g.goal} | ${g.unit === 'ms' ? (g.value === undefined ? '—' : `${g.value.toFixed(0)} ms`) : times(g.value)} | ${g.met === null ? 'measured (no goal)' : g.met === undefined ? 'not measured' : g.met ? 'yes' : 'NO'} |`);
  return lines.join('\n');
}
