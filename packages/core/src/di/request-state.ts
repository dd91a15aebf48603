/**
 * Per-request state: `ctx.state` becomes a `RequestState` whose `container` is a child of the app
 * container, created on first use (most requests never need one) and disposed when the request
 * ends, so request-scoped services exist once per request and nothing leaks into the next one.
 */
import type { Context, Middleware } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import { runInAppScope } from './app-scope';
import { KOA_CONTEXT, REQUEST_ID } from './tokens';

export class RequestState {
  [key: string]: unknown;
  requestId = '';
  private child: DependencyContainer | undefined;

  constructor(
    private readonly root: DependencyContainer,
    private readonly ctx: Context,
  ) {}

  get container(): DependencyContainer {
    if (this.child === undefined) {
      this.child = this.root.createChildContainer();
      this.child.register(KOA_CONTEXT, { useValue: this.ctx });
      this.child.register(REQUEST_ID, { useValue: this.requestId });
    }
    return this.child;
  }

  /** True once something asked for the request container (most requests never do). */
  get hasContainer(): boolean {
    return this.child !== undefined;
  }

  /** Disposes request-scoped instances that implement `dispose()` (tsyringe `Disposable`). */
  async end(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child !== undefined) await child.dispose();
  }
}

export function requestState(root: DependencyContainer): Middleware {
  return async function requestState(ctx, next) {
    const state = new RequestState(root, ctx);
    ctx.state = state;
    try {
      // Inside: tsyringe's global `container` answers for this app and this request (app-scope.ts).
      await runInAppScope({ app: root, request: () => state.container }, next);
    } finally {
      if (state.hasContainer) await state.end();
    }
  };
}
