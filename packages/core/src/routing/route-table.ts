/**
 * Every action of the given controllers in routing-controllers' registration order, each with the
 * executor that serves it. The compiled executor serves an action only when the answer cannot
 * differ from routing-controllers': its controller uses only features the compiled executor
 * implements, and find-my-way (which prefers static segments) picks the same action @koa/router
 * (first declared wins) would pick for every path. Otherwise the whole controller is served by
 * routing-controllers, and the reason is kept for the start-up log and `M8App.routes`.
 */
import { ActionMetadata, type RoutingControllersOptions } from 'routing-controllers';
import type { ControllerClass } from '../controllers';
import { buildControllers, globalHooks } from './metadata';
import { SUPPORTED_PARAM_KINDS } from './param-resolver';

export type Executor = 'compiled' | 'routing-controllers';

/** One action as routed: what `M8App.routes` lists. */
export interface RouteInfo {
  /** `GET`, `POST`, ... or `ALL` for `@All()`. */
  readonly method: string;
  /** The full path as registered (`/api/items/:id`), or a RegExp's source. */
  readonly path: string;
  /** `ItemsController.get`. */
  readonly action: string;
  readonly executor: Executor;
  /** Why routing-controllers serves it; absent for compiled actions. */
  readonly reason?: string;
}

export interface RouteEntry {
  readonly meta: ActionMetadata;
  readonly controller: ControllerClass;
  readonly method: string;
  readonly path: string | RegExp;
  /** Literal segments (lower-cased) and `:name` parameters, for simple paths only. */
  readonly segments: readonly string[] | undefined;
  /** @koa/router's regexp for a simple path (path-to-regexp: case-insensitive, optional trailing slash). */
  readonly regexp: RegExp | undefined;
  executor: Executor;
  reason: string | undefined;
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Literal segments and `:name` parameters only; anything else (regexps, wildcards, optionals) stays with @koa/router. */
const SIMPLE_PATH = /^(?:\/(?:[^/:*?()[\]{}+\\]+|:[A-Za-z_][A-Za-z0-9_]*))*\/?$/;

export function buildRouteTable(classes: readonly ControllerClass[], options: RoutingControllersOptions, compile: boolean): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const controller of buildControllers(classes, options)) {
    for (const meta of controller.actions) entries.push(entryOf(meta, controller.target, options.routePrefix ?? ''));
  }
  if (!compile) {
    for (const entry of entries) fallBack(entry, "routing: 'routing-controllers'");
    return entries;
  }
  const global = globalHooks();
  for (const entry of entries) {
    const own = [...global, ...unsupported(entry)];
    if (own.length > 0) fallBackController(entries, entry.controller, `${name(entry)} uses ${own.join(', ')}`);
  }
  resolvePrecedence(entries);
  return entries;
}

export function routeInfo(entry: RouteEntry): RouteInfo {
  const path = typeof entry.path === 'string' ? entry.path : entry.path.source;
  return { method: entry.method, path, action: name(entry), executor: entry.executor, ...(entry.reason !== undefined && { reason: entry.reason }) };
}

/** Methods an action answers, as @koa/router lists them: a GET route answers HEAD too. */
export function methodsOf(entry: RouteEntry): readonly string[] {
  if (entry.method === 'ALL') return ['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE'];
  return entry.method === 'GET' ? ['HEAD', 'GET'] : [entry.method];
}

function entryOf(meta: ActionMetadata, controller: ControllerClass, prefix: string): RouteEntry {
  let path = ActionMetadata.appendBaseRoute(prefix, meta.fullRoute);
  // routing-controllers trims one trailing slash before registering (`/api/items/` → `/api/items`).
  if (typeof path === 'string' && path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const simple = typeof path === 'string' && SIMPLE_PATH.test(path);
  const segments = simple ? (path as string).split('/').filter((s) => s !== '').map((s) => (s.startsWith(':') ? s : s.toLowerCase())) : undefined;
  return {
    meta,
    controller,
    method: meta.type.toUpperCase(),
    path,
    segments,
    regexp: segments && regexpOf(segments),
    executor: 'compiled',
    reason: undefined,
  };
}

function regexpOf(segments: readonly string[]): RegExp {
  const body = segments.map((s) => `\\/${s.startsWith(':') ? '([^\\/#\\?]+?)' : s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}`).join('');
  return new RegExp(`^${body}[\\/#\\?]?$`, 'i');
}

function unsupported(entry: RouteEntry): string[] {
  const meta = entry.meta;
  const found: string[] = [];
  if (!METHODS.has(entry.method)) found.push(`@${meta.type}()`);
  if (entry.segments === undefined) found.push(`the route ${String(entry.path)}`);
  if (meta.uses.length > 0 || meta.controllerMetadata.uses.length > 0) found.push('@UseBefore/@UseAfter');
  if (meta.interceptors.length > 0 || meta.controllerMetadata.interceptors.length > 0) found.push('@UseInterceptor');
  if (meta.renderedTemplate) found.push('@Render');
  if (meta.redirect) found.push('@Redirect');
  if (meta.isFileUsed || meta.isFilesUsed) found.push('file uploads');
  if (meta.appendParams !== undefined || meta.methodOverride !== undefined) found.push('appendParams/methodOverride');
  if ((meta.authorizedRoles as unknown[]).some((role) => typeof role !== 'string')) found.push('@Authorized(RoleChecker)');
  for (const param of meta.params) {
    if (!SUPPORTED_PARAM_KINDS.has(param.type)) found.push(`a ${param.type} parameter`);
    else if ((param.transform as unknown) !== undefined) found.push('a custom parameter decorator');
  }
  return found;
}

/**
 * Until nothing changes: a compiled action that an earlier action could shadow (an earlier
 * routing-controllers action on an overlapping path, or an earlier compiled one find-my-way would
 * rank below it) moves, with its controller, to routing-controllers.
 */
function resolvePrecedence(entries: RouteEntry[]): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (let r = 0; r < entries.length && !changed; r++) {
      const later = entries[r]!;
      if (later.executor !== 'compiled') continue;
      for (let e = 0; e < r; e++) {
        const earlier = entries[e]!;
        if (!sharesMethod(earlier, later) || !overlaps(earlier, later)) continue;
        const why =
          earlier.executor !== 'compiled'
            ? `${name(later)} (${later.method} ${String(later.path)}) is declared after ${name(earlier)} (${earlier.method} ${String(earlier.path)}), served by routing-controllers, on paths both match`
            : rankedFirst(later, earlier)
              ? `find-my-way would prefer ${name(later)} (${later.method} ${String(later.path)}) to the earlier ${name(earlier)} (${earlier.method} ${String(earlier.path)}); routing-controllers serves the first declared`
              : undefined;
        if (why === undefined) continue;
        fallBackController(entries, later.controller, why);
        changed = true;
        break;
      }
    }
  }
}

function sharesMethod(earlier: RouteEntry, later: RouteEntry): boolean {
  const theirs = methodsOf(earlier);
  return methodsOf(later).some((m) => theirs.includes(m));
}

/** Whether some path matches both (always true when either is not a simple path: we cannot tell). */
function overlaps(a: RouteEntry, b: RouteEntry): boolean {
  if (a.segments === undefined || b.segments === undefined) return true;
  if (a.segments.length !== b.segments.length) return false;
  return a.segments.every((s, i) => s.startsWith(':') || b.segments![i]!.startsWith(':') || s === b.segments![i]);
}

/**
 * find-my-way's choice between two overlapping routes: at the first segment where one is literal
 * and the other a parameter, the literal wins. A HEAD route beats a GET route whatever the path
 * (HEAD is looked up first).
 */
function rankedFirst(later: RouteEntry, earlier: RouteEntry): boolean {
  if (later.method === 'HEAD' && earlier.method === 'GET') return true;
  const a = later.segments!;
  const b = earlier.segments!;
  for (let i = 0; i < a.length; i++) {
    const aParam = a[i]!.startsWith(':');
    if (aParam !== b[i]!.startsWith(':')) return !aParam;
  }
  return false;
}

function fallBackController(entries: RouteEntry[], controller: ControllerClass, reason: string): void {
  for (const entry of entries) if (entry.controller === controller && entry.executor === 'compiled') fallBack(entry, reason);
}

function fallBack(entry: RouteEntry, reason: string): void {
  entry.executor = 'routing-controllers';
  entry.reason = reason;
}

function name(entry: RouteEntry): string {
  return `${(entry.controller as { name: string }).name}.${entry.meta.method}`;
}
