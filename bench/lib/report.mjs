// Statistics over rounds, the markdown table, and the performance goals checked against this run.
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per case: median req/s over rounds, its spread, median p99, revocation calls per request. */
export function summarise(kase) {
  const rps = kase.samples.map((s) => s.rps);
  const calls = kase.samples.filter((s) => s.revocationCalls !== undefined);
  const requests = calls.reduce((n, s) => n + s.requests, 0);
  return {
    medianRps: median(rps),
    minRps: rps.length ? Math.min(...rps) : undefined,
    maxRps: rps.length ? Math.max(...rps) : undefined,
    p99Ms: median(kase.samples.map((s) => s.p99Ms)),
    p50Ms: median(kase.samples.map((s) => s.p50Ms)),
    failedResponses: kase.samples.reduce((n, s) => n + s.non2xx + s.errors + s.timeouts, 0),
    revocationCallsPerRequest: calls.length && requests ? calls.reduce((n, s) => n + s.revocationCalls, 0) / requests : undefined,
  };
}

function find(cases, name, alg) {
  return cases.find((c) => c.name === name && c.alg === alg && c.stats?.medianRps);
}

function ratio(a, b) {
  return a?.stats?.medianRps && b?.stats?.medianRps ? a.stats.medianRps / b.stats.medianRps : undefined;
}

/** Median over rounds of the ratio within each round (both measured minutes apart at most): robust to drift. */
function pairedRatio(a, b) {
  if (!a?.samples || !b?.samples) return undefined;
  const n = Math.min(a.samples.length, b.samples.length);
  return median(Array.from({ length: n }, (_, r) => a.samples[r].rps / b.samples[r].rps));
}

/**
 * Adds `vsBaseline` (koa-jose, same algorithm) and, for m8 routes, `vsFastify` to each measured case
 * (ratios of medians, as printed), plus their per-round paired medians (`…Paired`, in the JSON).
 */
export function addRatios(cases) {
  for (const c of cases) {
    if (!c.stats || c.kind !== 'route') continue;
    const baseline = find(cases, 'koa-jose', c.alg);
    c.stats.vsBaseline = ratio(c, baseline);
    c.stats.vsBaselinePaired = pairedRatio(c, baseline);
    if (c.target !== 'm8') continue;
    const fastify = find(cases, 'fastify-jwt', c.alg);
    c.stats.vsFastify = ratio(c, fastify);
    c.stats.vsFastifyPaired = pairedRatio(c, fastify);
  }
}

const fmt = (v, digits = 0) => (v === undefined || v === null || Number.isNaN(v) ? '—' : v.toFixed(digits));
const times = (v) => (v === undefined ? '—' : `${v.toFixed(2)}×`);

/** The results table, one row per case (broken ones included, with the reason). */
export function markdownTable(cases) {
  const lines = [
    '| case | alg | req/s (median) | min–max | p99 ms | vs koa-jose | vs fastify-jwt | start-up ms | idle RSS MiB | RSS after MiB | notes |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const c of cases) {
    if (c.broken) {
      lines.push(`| ${c.name} | ${c.alg} | BROKEN | | | | | ${fmt(c.startupMs)} | | | ${c.broken.replace(/\|/g, '/').slice(0, 300)} |`);
      continue;
    }
    const s = c.stats;
    const notes = [c.note];
    if (s.revocationCallsPerRequest !== undefined) notes.push(`${s.revocationCallsPerRequest.toFixed(3)} revocation calls/request`);
    if (s.failedResponses) notes.push(`${s.failedResponses} non-2xx/errors under load`);
    lines.push(
      `| ${c.name} | ${c.alg} | ${fmt(s.medianRps)} | ${fmt(s.minRps)}–${fmt(s.maxRps)} | ${fmt(s.p99Ms, 1)} | ${times(s.vsBaseline)} | ${times(s.vsFastify)} | ${fmt(c.startupMs)} | ${fmt(c.idleRssMiB, 1)} | ${fmt(c.rssAfterMiB, 1)} | ${notes.filter(Boolean).join('; ')} |`,
    );
  }
  return lines.join('\n');
}

/** The performance goals (bench/README.md), each with the measured value and whether this run meets it. */
export function goals(cases) {
  const out = [];
  const push = (goal, value, met) => out.push({ goal, value, met: value === undefined ? undefined : met(value) });
  push('m8 HS256 ≥ 1.0× fastify-jwt HS256', ratio(find(cases, 'm8-stateless', 'HS256'), find(cases, 'fastify-jwt', 'HS256')), (v) => v >= 1.0);
  push('m8 HS256 ≥ 2.5× koa-jose HS256', ratio(find(cases, 'm8-stateless', 'HS256'), find(cases, 'koa-jose', 'HS256')), (v) => v >= 2.5);
  for (const alg of new Set(cases.filter((c) => c.target === 'm8').map((c) => c.alg))) {
    push(`m8 stateful+cache within 10 % of stateless (${alg})`, ratio(find(cases, 'm8-stateful-cache', alg), find(cases, 'm8-stateless', alg)), (v) => v >= 0.9);
    const reference = find(cases, 'rc-koa-jose', alg);
    for (const c of cases) {
      if (c.target !== 'm8' || c.kind !== 'route' || c.alg !== alg || !c.stats?.medianRps) continue;
      push(`${c.name} ${alg} ≥ rc-koa-jose ${alg}`, ratio(c, reference), (v) => v >= 1.0);
    }
  }
  return out;
}

export function goalsMarkdown(list) {
  const lines = ['| goal | measured | met |', '|---|---:|---|'];
  for (const g of list) lines.push(`| ${g.goal} | ${times(g.value)} | ${g.met === undefined ? 'not measured' : g.met ? 'yes' : 'NO'} |`);
  return lines.join('\n');
}
