/**
 * routing-controllers resolves controllers through one process-wide IoC adapter. Ours resolves from
 * the request's own container (so every app in the process uses its own), which makes controllers
 * and their constructor dependencies request-scoped by default.
 */
import { useContainer, type Action } from 'routing-controllers';
import type { DependencyContainer } from 'tsyringe';

let installed = false;
let lastRoot: DependencyContainer | undefined;

export function useRequestContainers(root: DependencyContainer): void {
  lastRoot = root;
  if (installed) return;
  installed = true;
  useContainer({
    get<T>(someClass: { new (...args: never[]): T } | (() => T), action?: Action): T {
      const state = action?.context?.state as { container?: DependencyContainer } | undefined;
      // Without an action (class middlewares resolved at start-up) fall back to the newest app.
      const container = state?.container ?? lastRoot;
      if (container === undefined) throw new Error('m8: no container to resolve controllers from');
      return container.resolve(someClass as never);
    },
  });
}
