/**
 * Which actions the fast executor serves and which stay with routing-controllers. Built from
 * routing-controllers' own metadata builder, for the given controllers only. An action using a
 * feature the fast executor does not implement falls back, with its whole controller, to
 * routing-controllers (mounted after the fast router): no decorator is ever silently dropped.
 */
import type { RoutingControllersOptions } from 'routing-controllers';
import type { ControllerClass } from '../controllers';
import { SUPPORTED_PARAM_KINDS } from './param-resolver';
import { MetadataBuilder, type ActionMetadata } from './rc-internals';
import type { HTTPMethod } from 'find-my-way';

export interface FastRoute {
  readonly meta: ActionMetadata;
  readonly method: HTTPMethod;
  /** The path as registered, e.g. `/api/items/:id`; also the route template. */
  readonly path: string;
}

export interface RoutePlan {
  readonly fast: readonly FastRoute[];
  /** Controllers with at least one action routing-controllers must serve. */
  readonly fallback: readonly ControllerClass[];
  /** Why each fallback action falls back, for the start-up log. */
  readonly reasons: readonly string[];
}

const METHODS: Readonly<Record<string, HTTPMethod>> = {
  get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', head: 'HEAD', options: 'OPTIONS',
};

/** Literal segments and `:name` parameters only; anything else (regexps, wildcards, optionals) stays with @koa/router. */
const SIMPLE_PATH = /^(?:\/(?:[^/:*?()[\]{}+\\]+|:[A-Za-z_][A-Za-z0-9_]*))*\/?$/;

export function planRoutes(controllers: readonly ControllerClass[], options: RoutingControllersOptions): RoutePlan {
  const builder = new MetadataBuilder(options);
  const fast: FastRoute[] = [];
  const fallback = new Set<ControllerClass>();
  const reasons: string[] = [];
  // Global @Middleware()/@Interceptor() classes apply to every action: then routing-controllers serves all.
  const global = [
    ...builder.buildMiddlewareMetadata(undefined).filter((m) => m.global).map((m) => `global middleware ${m.target.name}`),
    ...builder.buildInterceptorMetadata(undefined).filter((i) => i.global).map((i) => `global interceptor ${i.target.name}`),
  ];
  const taken = new Set<string>();
  for (const controller of builder.buildControllerMetadata([...controllers])) {
    for (const meta of controller.actions) {
      const method = METHODS[meta.type];
      const path = typeof meta.fullRoute === 'string' ? fullPath(options.routePrefix ?? '', meta.fullRoute) : undefined;
      const key = `${method ?? meta.type} ${path?.toLowerCase().replace(/\/$/, '') ?? String(meta.fullRoute)}`;
      const unsupported = [...global, ...unsupportedFeatures(meta)];
      if (method === undefined) unsupported.push(`@${meta.type}() routes`);
      if (path === undefined || !SIMPLE_PATH.test(path)) unsupported.push(`route ${String(meta.fullRoute)}`);
      // The first registration of a method and path wins, as it does in routing-controllers.
      if (taken.has(key)) continue;
      taken.add(key);
      if (unsupported.length > 0) {
        fallback.add(controller.target);
        reasons.push(`${controller.target.name}.${meta.method}: ${unsupported.join(', ')}`);
      } else {
        fast.push({ meta, method: method!, path: path! });
      }
    }
  }
  return { fast, fallback: [...fallback], reasons };
}

/** routing-controllers' `appendBaseRoute`, then its trailing-slash trim (`/api/items/` → `/api/items`). */
function fullPath(prefix: string, route: string): string {
  const base = `${prefix.length > 0 && !prefix.includes('/') ? '/' : ''}${prefix}`;
  const path = `${base}${route}`;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function unsupportedFeatures(meta: ActionMetadata): string[] {
  const found: string[] = [];
  if (meta.uses.length > 0 || meta.controllerMetadata.uses.length > 0) found.push('@UseBefore/@UseAfter');
  if (meta.interceptors.length > 0 || meta.controllerMetadata.interceptors.length > 0) found.push('@UseInterceptor');
  if (meta.renderedTemplate) found.push('@Render');
  if (meta.redirect) found.push('@Redirect');
  if (meta.isFileUsed || meta.isFilesUsed) found.push('file uploads');
  if (meta.appendParams !== undefined || meta.methodOverride !== undefined) found.push('appendParams/methodOverride');
  if ((meta.authorizedRoles as unknown[]).some((role) => typeof role !== 'string')) found.push('@Authorized(RoleChecker)');
  for (const param of meta.params) {
    if (!SUPPORTED_PARAM_KINDS.has(param.type)) found.push(`@${param.type} parameter`);
    else if ((param.transform as unknown) !== undefined) found.push('custom parameter decorator');
  }
  return found;
}
