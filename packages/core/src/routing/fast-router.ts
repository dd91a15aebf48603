/**
 * The fast router: find-my-way (Fastify's radix-tree router) as one Koa middleware. A match sets
 * `ctx.params` and `ctx.state.routeTemplate` (the same template @koa/router reported), then runs
 * the compiled action; a miss goes on to whatever is mounted next (routing-controllers, for the
 * actions it still serves) and, if nothing answered, becomes a 405 with `Allow` when the path
 * exists under another method, as @koa/router's `allowedMethods()` did.
 */
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { Context, Middleware, Next } from 'koa';

export type RouteHandler = (ctx: Context, next: Next) => Promise<void>;

interface RouteStore {
  readonly template: string;
  readonly handle: RouteHandler;
}

export class FastRouter {
  // Like @koa/router's defaults: case-insensitive, trailing slash optional.
  private readonly tree = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: false });
  private readonly methods = new Set<HTTPMethod>();

  /** False when this method and path are already taken (the first registration wins, as with routing-controllers). */
  add(method: HTTPMethod, path: string, template: string, handle: RouteHandler): boolean {
    if (this.tree.findRoute(method, path) !== null) return false;
    const store: RouteStore = { template, handle };
    try {
      this.tree.on(method, path, noop, store);
    } catch {
      return false; // the same route under other parameter names: taken
    }
    this.methods.add(method);
    return true;
  }

  /** Methods answering at `path`, for `Allow`. */
  allowed(path: string): HTTPMethod[] {
    const allowed: HTTPMethod[] = [];
    for (const method of this.methods) {
      if (this.tree.find(method, path) === null) continue;
      // @koa/router's order: a GET route answers HEAD too, listed first.
      if (method === 'GET' && !allowed.includes('HEAD')) allowed.push('HEAD');
      if (!allowed.includes(method)) allowed.push(method);
    }
    return allowed;
  }

  middleware(): Middleware {
    const tree = this.tree;
    const unmatched = (ctx: Context, next: Next): Promise<void> => this.unmatched(ctx, next);
    return function controllers(ctx, next) {
      const method = ctx.method as HTTPMethod;
      const path = ctx.path;
      const found = tree.find(method, path) ?? (method === 'HEAD' ? tree.find('GET', path) : null);
      if (found === null) return unmatched(ctx, next);
      const store = found.store as RouteStore;
      ctx.params = found.params;
      (ctx.state as { routeTemplate?: string }).routeTemplate = store.template;
      return store.handle(ctx, next);
    };
  }

  private async unmatched(ctx: Context, next: Next): Promise<void> {
    await next();
    if (ctx.status !== 404 || ctx.body != null) return; // answered further down
    const allowed = this.allowed(ctx.path);
    if (allowed.length === 0) return;
    ctx.set('Allow', allowed.join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 200;
      ctx.body = '';
    } else {
      ctx.status = 405;
    }
  }
}

function noop(): void {}
