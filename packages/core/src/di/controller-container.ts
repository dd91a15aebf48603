/**
 * routing-controllers resolves controllers through one process-wide IoC adapter. Ours answers only
 * for requests of m8 apps, from the request's own container (so each app uses its own, and
 * controllers and their constructor dependencies are request-scoped by default). For anything
 * else it answers `undefined` and, with `fallback: true`, routing-controllers uses its default
 * container: a plain routing-controllers app in the same process keeps its singleton controllers.
 */
import { useContainer, type Action } from 'routing-controllers';
import { RequestState } from './request-state';

let installed = false;

export function useRequestContainers(): void {
  if (installed) return;
  installed = true;
  useContainer(
    {
      get<T>(someClass: { new (...args: never[]): T } | (() => T), action?: Action): T {
        const state: unknown = action?.context?.state;
        if (!(state instanceof RequestState)) return undefined as T;
        return state.container.resolve(someClass as never);
      },
    },
    { fallback: true },
  );
}
