/**
 * The routing stage as one Koa middleware. Compiled actions are found with find-my-way (Fastify's
 * radix-tree router); the route table guarantees it picks what @koa/router would. A path find-my-way
 * reads differently from @koa/router (percent-encoding, `+`, empty segments: find-my-way decodes
 * before matching, @koa/router matches the raw path and decodes parameters leniently) is matched
 * the @koa/router way, in declaration order. Anything else goes on to routing-controllers; when no
 * action answered, 405/501/OPTIONS with `Allow` are computed over every action, as @koa/router's
 * `allowedMethods()` would over one router holding them all.
 */
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import compose from 'koa-compose';
import type { Context, Middleware, Next } from 'koa';
import type { RouteHandler } from './compile-action';
import type { RouterLayer } from './fallback-driver';
import { methodsOf, type RouteEntry } from './route-table';

interface Compiled {
  readonly entry: RouteEntry;
  readonly handle: RouteHandler;
}

/** @koa/router's `methods`: any other method is a 501. */
const IMPLEMENTED: ReadonlySet<string> = new Set(['HEAD', 'OPTIONS', 'GET', 'PUT', 'PATCH', 'POST', 'DELETE']);
/** Paths find-my-way and @koa/router could read differently. */
const ODD_PATH = /[%+]|\/\//;

export interface RoutingStageParts {
  readonly entries: readonly RouteEntry[];
  readonly handlers: ReadonlyMap<RouteEntry, RouteHandler>;
  /** routing-controllers' middlewares and its router's layers (one per fallback entry, in order). */
  readonly fallback?: { readonly middlewares: readonly Middleware[]; readonly layers: readonly RouterLayer[] };
}

export function routingStage(parts: RoutingStageParts): Middleware {
  const tree = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: false });
  const ordered: (Compiled | RouterLayer)[] = [];
  const fallbackLayers = [...(parts.fallback?.layers ?? [])];
  for (const entry of parts.entries) {
    const handle = parts.handlers.get(entry);
    if (handle === undefined) {
      ordered.push(fallbackLayers.shift()!);
      continue;
    }
    const compiled: Compiled = { entry, handle };
    ordered.push(compiled);
    if (tree.findRoute(entry.method as HTTPMethod, entry.path as string) !== null) continue; // a duplicate: the first wins
    try {
      tree.on(entry.method as HTTPMethod, entry.path as string, noop, compiled);
    } catch {
      // the same route under other parameter names: the first wins
    }
  }
  const lookup = (ctx: Context): Compiled | undefined => {
    const path = ctx.path;
    if (ODD_PATH.test(path)) return orderedLookup(ordered, ctx);
    const method = ctx.method as HTTPMethod;
    const found = tree.find(method, path) ?? (method === 'HEAD' ? tree.find('GET', path) : null);
    if (found === null) return undefined;
    ctx.params = found.params;
    return found.store as Compiled;
  };
  const rest = compose([allowedMethods(ordered), ...(parts.fallback?.middlewares ?? [])]);
  return function routing(ctx, next) {
    const hit = lookup(ctx);
    if (hit === undefined) return rest(ctx, next);
    (ctx.state as { routeTemplate?: string }).routeTemplate = hit.entry.path as string;
    return hit.handle(ctx, next);
  };
}

/** @koa/router's matching: the first action declared whose method and raw path match; params decoded leniently. */
function orderedLookup(ordered: readonly (Compiled | RouterLayer)[], ctx: Context): Compiled | undefined {
  for (const candidate of ordered) {
    if (!('entry' in candidate)) {
      if (candidate.methods.includes(ctx.method) && candidate.match(ctx.path)) return undefined; // routing-controllers' action
      continue;
    }
    if (!methodsOf(candidate.entry).includes(ctx.method)) continue;
    const match = candidate.entry.regexp!.exec(ctx.path);
    if (match === null) continue;
    const params: Record<string, string> = {};
    const names = candidate.entry.segments!.filter((s) => s.startsWith(':'));
    names.forEach((name, i) => (params[name.slice(1)] = decodeLeniently(match[i + 1]!)));
    ctx.params = params;
    return candidate;
  }
  return undefined;
}

/** @koa/router's `safeDecodeURIComponent`: `+` is a space, and what does not decode stays as sent. */
function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function allowedMethods(ordered: readonly (Compiled | RouterLayer)[]): Middleware {
  return async function allowedMethods(ctx: Context, next: Next): Promise<void> {
    await next();
    if (ctx.status !== 404) return;
    const allowed = new Set<string>();
    for (const candidate of ordered) {
      const matches = 'entry' in candidate ? candidate.entry.regexp!.test(ctx.path) : candidate.match(ctx.path);
      if (!matches) continue;
      for (const method of 'entry' in candidate ? methodsOf(candidate.entry) : candidate.methods) allowed.add(method);
    }
    const allow = [...allowed].join(', ');
    if (!IMPLEMENTED.has(ctx.method)) {
      ctx.status = 501;
      ctx.set('Allow', allow);
    } else if (allowed.size > 0) {
      if (ctx.method === 'OPTIONS') {
        ctx.status = 200;
        ctx.body = '';
        ctx.set('Allow', allow);
      } else if (!allowed.has(ctx.method)) {
        ctx.status = 405;
        ctx.set('Allow', allow);
      }
    }
  };
}

function noop(): void {}
