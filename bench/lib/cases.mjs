// The benchmark matrix: which server runs with which settings against which path. A "case" is one
// server process; its `key` (e.g. `m8-stateful-cache@RS256`) names it in the table and the JSON.
import { usageError } from './options.mjs';

export const ROUTE = '/api/items/';
export const HEALTH = '/api/health/';
export const REVOCATION_SECRET = 'bench-private-api-secret-0123456789';
export const REVOCATION_CACHE_TTL_SECONDS = 60;

const M8_VARIANTS = [
  { name: 'm8-stateless', mode: 'stateless', note: '' },
  { name: 'm8-stateful', mode: 'stateful', note: 'no revocation cache' },
  { name: 'm8-stateful-cache', mode: 'stateful+cache', note: `REVOCATION_CACHE_TTL_SECONDS=${REVOCATION_CACHE_TTL_SECONDS}` },
];

function m8Env(mode, { revocationUrl, logLevel = 'warn' }) {
  const env = {
    PROJECT_NAME: 'bench items',
    ENVIRONMENT: 'local',
    AUTH_SERVICE_ROLE: 'consumer',
    TOKEN_MODE: mode === 'stateless' ? 'stateless' : 'stateful',
    LOG_LEVEL: logLevel,
    HOST: '127.0.0.1',
    METRICS_ENABLED: 'false',
    SHUTDOWN_TIMEOUT_SECONDS: '2',
  };
  if (mode !== 'stateless') {
    env.INTROSPECTION_URL = revocationUrl;
    env.PRIVATE_API_SECRET = REVOCATION_SECRET;
    env.REVOCATION_CACHE_TTL_SECONDS = mode === 'stateful+cache' ? String(REVOCATION_CACHE_TTL_SECONDS) : '0';
  }
  return env;
}

function selected(only, target, name) {
  return only === undefined || only.includes(target) || only.includes(name);
}

/**
 * Every case the options select, grouped by algorithm. Per algorithm: the three references and the
 * three m8 modes; once (HS256, or the first algorithm chosen): m8 with access logs on, m8 health;
 * once without algorithm: the bare node:http floor (no auth), the ceiling of the harness itself.
 */
export const CASE_NAMES = ['koa-jose', 'fastify-jwt', 'rc-koa-jose', 'm8', 'node-floor', ...M8_VARIANTS.map((v) => v.name), 'm8-log-info', 'm8-health', 'db', 'm8-db', 'fastify-db', 'nest-db', 'cluster', 'm8-workers-1', 'm8-workers-2'];

/** The example service on PostgreSQL: its own settings (DATABASE_URL is added once the database exists). */
function m8DbEnv() {
  return { ...m8Env('stateless', {}), ENVIRONMENT: 'development', ENV_FILE: '/dev/null', SELECTED_DB: 'Postgres', METRICS_ENABLED: 'false', SET_DOCS: 'false' };
}

export function buildCases(options, revocationUrl) {
  const { only, algorithms } = options;
  const unknown = (only ?? []).filter((name) => !CASE_NAMES.includes(name));
  if (unknown.length) throw usageError(`--only: unknown ${unknown.join(', ')} (use ${CASE_NAMES.join(', ')})`);
  const cases = [];
  const add = (c) => cases.push({ ...c, key: `${c.name}@${c.alg}` });
  for (const alg of algorithms) {
    for (const target of ['koa-jose', 'fastify-jwt', 'rc-koa-jose']) {
      if (selected(only, target, target)) add({ name: target, target, alg, mode: 'stateless', server: `${target}.js`, path: ROUTE, kind: 'route', env: {}, note: '', distinctTokens: true });
    }
    for (const variant of M8_VARIANTS) {
      if (!selected(only, 'm8', variant.name)) continue;
      // Distinct tokens only where no revocation call runs: there the verification cache is what misses.
      add({ name: variant.name, target: 'm8', alg, mode: variant.mode, server: 'm8.js', path: ROUTE, kind: 'route', env: m8Env(variant.mode, { revocationUrl }), note: variant.note, distinctTokens: variant.mode === 'stateless' });
    }
  }
  const once = algorithms.includes('HS256') ? 'HS256' : algorithms[0];
  if (selected(only, 'node-floor', 'node-floor')) {
    add({ name: 'node-floor', target: 'node-floor', alg: '—', mode: 'stateless', server: 'node-floor.js', path: ROUTE, kind: 'floor', env: {}, note: 'bare node:http, no auth: the harness ceiling' });
  }
  if (selected(only, 'm8', 'm8-log-info')) {
    add({ name: 'm8-log-info', target: 'm8', alg: once, mode: 'stateless', server: 'm8.js', path: ROUTE, kind: 'route', env: m8Env('stateless', { logLevel: 'info' }), note: 'LOG_LEVEL=info, access log to /dev/null' });
  }
  if (selected(only, 'm8', 'm8-health')) {
    add({ name: 'm8-health', target: 'm8', alg: once, mode: 'stateless', server: 'm8.js', path: HEALTH, kind: 'health', env: m8Env('stateless', {}), note: 'GET /api/health/, anonymous' });
  }
  // Scaling over cores (node:cluster): both unpinned, so the workers may use both cores (which the
  // load generator shares); WORKERS=1 unpinned is the control for WORKERS=2.
  for (const workers of [1, 2]) {
    const name = `m8-workers-${workers}`;
    if (!selected(only, 'cluster', name)) continue;
    add({ name, target: 'm8', alg: once, mode: 'stateless', server: 'm8.js', path: ROUTE, kind: 'route', env: { ...m8Env('stateless', {}), WORKERS: String(workers) }, unpinned: true, baseline: 'm8-workers-1', note: `WORKERS=${workers}, server unpinned (both cores, shared with the load generator)` });
  }
  // The database route (HS256 only): the example vs Fastify + MikroORM vs NestJS + MikroORM.
  if (algorithms.includes('HS256')) {
    const db = { alg: 'HS256', mode: 'stateless', path: ROUTE, kind: 'route', db: true, baseline: 'fastify-db' };
    if (selected(only, 'db', 'fastify-db')) add({ ...db, name: 'fastify-db', target: 'fastify-db', server: 'fastify-db.js', env: {}, note: 'Fastify + @fastify/jwt + MikroORM RequestContext, 20 rows' });
    if (selected(only, 'db', 'nest-db')) add({ ...db, name: 'nest-db', target: 'nest-db', server: 'nest-db.js', env: {}, note: 'NestJS (Express) + @nestjs/jwt + @mikro-orm/nestjs, 20 rows' });
    if (selected(only, 'db', 'm8-db')) add({ ...db, name: 'm8-db', target: 'm8', server: 'm8-db.js', env: m8DbEnv(), peer: 'fastify-db', note: 'examples/items-service, 20 rows, API docs off (as in production)' });
  }
  return cases;
}
