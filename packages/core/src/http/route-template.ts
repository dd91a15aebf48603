import type { Context } from 'koa';

/** The `endpoint` label of every request that matched no route: one value, so cardinality stays bounded. */
export const UNMATCHED_ROUTE = '<unmatched>';

/**
 * The matched route template (`/api/items/:id`), never the raw path. Routes served by core's fast
 * router and internal routes (health, metrics) set `ctx.state.routeTemplate`; actions served by
 * routing-controllers are named by @koa/router (`_matchedRoute`).
 */
export function routeTemplate(ctx: Context): string {
  const internal = ctx.state.routeTemplate;
  if (typeof internal === 'string') return internal;
  const matched = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  return typeof matched === 'string' ? matched : UNMATCHED_ROUTE;
}
