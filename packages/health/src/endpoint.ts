/**
 * The HTTP side: `GET {API_PREFIX}/health/` (readiness, docs/interop.md §6, §7) and
 * `GET {API_PREFIX}/ping` (liveness). Everything that does not depend on the request is computed
 * here, once, at setup.
 */
import { VERSION, type AppContext, type InternalRoute, type M8Context } from '@m8/core';
import { safeEqual } from '@m8/core/internal';
import type { ResolvedHealthOptions } from './options';
import { HealthRunner } from './runner';

const JSON_TYPE = 'application/json; charset=utf-8';
const INITIALIZING = '{"status":"initializing","ready":false}';
const SHUTTING_DOWN = '{"status":"shutting_down"}';
const PING = '{"status":"ok"}';

/** The health and ping routes of one app. */
export function healthRoutes(app: AppContext, options: ResolvedHealthOptions): InternalRoute[] {
  const runner = new HealthRunner({
    checks: options.checks,
    timeoutMs: options.timeoutMs,
    policy: options.policy,
    cacheTtlMs: options.cacheTtlMs,
    onCheck: (report) =>
      app.events.emit('health.check', { name: report.name, status: report.status, latencyMs: report.latencyMs }),
  });
  const isAuthorised = detailGate(app, options);
  const tail = detailTail(app);

  const health = async (ctx: M8Context): Promise<void> => {
    setJsonHeaders(ctx);
    if (!answerLifecycle(app, ctx)) return;
    const current = runner.current();
    const snapshot = current instanceof Promise ? await current : current;
    // Shutdown may have begun while the checks ran: readiness must say so at once.
    if (!answerLifecycle(app, ctx)) return;
    ctx.status = snapshot.httpStatus;
    // Token-only gates answer synchronously: no extra microtask on the common path.
    const authorised = isAuthorised(ctx);
    if (authorised === true || (authorised !== false && (await authorised))) {
      ctx.body = snapshot.detailBody(tail); // rendered once per snapshot
    } else {
      ctx.body = snapshot.anonymousBody;
    }
  };

  const ping = (ctx: M8Context): void => {
    setJsonHeaders(ctx);
    ctx.status = 200;
    ctx.body = PING;
  };

  const prefix = app.apiPrefix;
  return [
    { method: 'GET', paths: [`${prefix}/health/`, `${prefix}/health`], template: `${prefix}/health/`, handler: health },
    { method: 'GET', paths: [`${prefix}/ping`], template: `${prefix}/ping`, handler: ping },
  ];
}

/** Set as raw headers: cheaper than `ctx.type`'s mime lookup, and Koa keeps an explicit Content-Type. */
function setJsonHeaders(ctx: M8Context): void {
  ctx.set('Content-Type', JSON_TYPE);
  ctx.set('Cache-Control', 'no-store');
}

/** Answers 503 unless the app is ready; returns true when the caller should go on. */
function answerLifecycle(app: AppContext, ctx: M8Context): boolean {
  const state = app.state;
  if (state === 'ready') return true;
  ctx.status = 503;
  ctx.body = state === 'initializing' ? INITIALIZING : SHUTTING_DOWN;
  return false;
}

/**
 * Who sees the detail body: everyone with `detailPublic`; a request whose `X-Internal-Token`
 * equals `HEALTH_DETAIL_CREDENTIAL`, or `PRIVATE_API_SECRET` when that is unset (constant time; an
 * empty credential never matches); or whoever the custom
 * authoriser admits (a throw counts as "no" and is logged).
 */
function detailGate(app: AppContext, options: ResolvedHealthOptions): (ctx: M8Context) => boolean | Promise<boolean> {
  if (options.detailPublic) return () => true;
  // A credential of its own lets operators read health without holding the issuer's secret.
  const secret = app.settings.HEALTH_DETAIL_CREDENTIAL ?? app.settings.PRIVATE_API_SECRET ?? '';
  const authorizer = options.detailAuthorizer;
  const byToken = (ctx: M8Context): boolean => secret !== '' && safeEqual(ctx.get('x-internal-token'), secret);
  if (authorizer === undefined) return byToken;
  return async (ctx) => {
    if (byToken(ctx)) return true;
    try {
      return (await authorizer(ctx)) === true;
    } catch (error) {
      app.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'health detailAuthorizer threw; detail refused');
      return false;
    }
  };
}

/** `"service":...,"version":...,<framework versions>` as JSON without braces. */
function detailTail(app: AppContext): string {
  const fixed: Record<string, unknown> = { service: app.serviceName, version: app.serviceVersion };
  // The framework versions this app runs: core and the packages of its plugins.
  const packages: Record<string, string> = { '@m8/core': VERSION };
  for (const plugin of app.plugins) if (plugin.package) packages[plugin.package.name] = plugin.package.version;
  for (const [name, version] of Object.entries(packages)) {
    if (!(name in fixed)) fixed[name] = version;
  }
  return JSON.stringify(fixed).slice(1, -1);
}
