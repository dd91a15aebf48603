/**
 * How each request gets its controller instance. Today's semantics: resolved from the request's
 * child container (`ctx.state.container`), so the controller and its constructor dependencies are
 * request-scoped. A controller whose constructor takes nothing is just `new`ed: tsyringe would do
 * the same for an unregistered class, and no child container is created for it. A registration for
 * the class (a test double, a factory) is honoured: then it goes through the container as before.
 */
import type { Context } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import type { ControllerClass } from '../controllers';

export type ControllerFactory = (ctx: Context) => object;

export function compileControllerFactory(controller: ControllerClass, root: DependencyContainer): ControllerFactory {
  const fromContainer: ControllerFactory = (ctx) => {
    const container = (ctx.state as { container?: DependencyContainer }).container ?? root;
    return container.resolve(controller as new () => object);
  };
  if (takesArguments(controller)) return fromContainer;
  const Controller = controller as new () => object;
  return (ctx) => (root.isRegistered(Controller, true) ? fromContainer(ctx) : new Controller());
}

/** Own or inherited constructor parameters (a subclass without a constructor reports length 0). */
function takesArguments(controller: ControllerClass): boolean {
  const reflected = Reflect.getMetadata('design:paramtypes', controller) as unknown[] | undefined;
  if (reflected !== undefined && reflected.length > 0) return true;
  for (let current: unknown = controller; typeof current === 'function' && current !== Function.prototype; current = Object.getPrototypeOf(current)) {
    if ((current as ControllerClass).length > 0) return true;
  }
  return false;
}
