/**
 * routing-controllers' view of the given controllers, built from its public API only: the global
 * metadata storage (`getMetadataArgsStorage()`) and the exported metadata classes, assembled in
 * the order and with the inheritance rules its own builder uses, so a decorator means exactly what
 * it means to routing-controllers and actions come out in the order it registers them.
 */
import {
  ActionMetadata, ControllerMetadata, getMetadataArgsStorage, InterceptorMetadata, ParamMetadata, ResponseHandlerMetadata, UseMetadata,
  type RoutingControllersOptions,
} from 'routing-controllers';
import type { ControllerClass } from '../controllers';

export { ActionMetadata, ControllerMetadata, ParamMetadata };

/** Controllers in decoration order (routing-controllers' order, not the list's), each with its actions built. */
export function buildControllers(classes: readonly ControllerClass[], options: RoutingControllersOptions): ControllerMetadata[] {
  const storage = getMetadataArgsStorage();
  return storage.filterControllerMetadatasForClasses([...classes]).map((args) => {
    const controller = new ControllerMetadata(args);
    controller.build(storage.filterResponseHandlersWithTarget(controller.target).map((h) => new ResponseHandlerMetadata(h)));
    controller.actions = buildActions(controller, options);
    controller.uses = storage.filterUsesWithTargetAndMethod(controller.target, undefined as unknown as string).map((u) => new UseMetadata(u));
    controller.interceptors = storage
      .filterInterceptorUsesWithTargetAndMethod(controller.target, undefined as unknown as string)
      .map((u) => new InterceptorMetadata(u));
    return controller;
  });
}

/** Own actions first, then inherited ones not overridden, walking up the prototype chain. */
function buildActions(controller: ControllerMetadata, options: RoutingControllersOptions): ActionMetadata[] {
  const storage = getMetadataArgsStorage();
  const actions: ActionMetadata[] = [];
  for (let target: unknown = controller.target; target; target = Object.getPrototypeOf(target)) {
    const seen = actions.map((a) => a.method);
    for (const args of storage.filterActionsWithTarget(target as ControllerClass)) {
      if (seen.includes(args.method)) continue;
      const action = new ActionMetadata(controller, { ...args, target: controller.target }, options);
      action.options = { ...controller.options, ...args.options };
      action.params = storage
        .filterParamsWithTargetAndMethod(action.target, action.method)
        .map((param) => new ParamMetadata(action, withDefaults(param, options)));
      action.uses = storage.filterUsesWithTargetAndMethod(action.target, action.method).map((u) => new UseMetadata(u));
      action.interceptors = storage.filterInterceptorUsesWithTargetAndMethod(action.target, action.method).map((u) => new InterceptorMetadata(u));
      action.build(storage.filterResponseHandlersWithTargetAndMethod(action.target, action.method).map((h) => new ResponseHandlerMetadata(h)));
      actions.push(action);
    }
  }
  return actions;
}

type ParamArgs = ReturnType<ReturnType<typeof getMetadataArgsStorage>['filterParamsWithTargetAndMethod']>[number];

function withDefaults(param: ParamArgs, options: RoutingControllersOptions): ParamArgs {
  const defaults = options.defaults?.paramOptions;
  if (defaults && param.required === undefined) param.required = defaults.required || false;
  return param;
}

/**
 * Global `@Middleware()` and `@Interceptor()` classes: routing-controllers applies every one in the
 * process (it is given no `middlewares`/`interceptors` list), so none of the actions can be compiled.
 */
export function globalHooks(): string[] {
  const storage = getMetadataArgsStorage();
  return [
    ...storage.middlewares.filter((m) => m.global).map((m) => `the global middleware ${m.target.name}`),
    ...storage.interceptors.map((i) => `the global interceptor ${i.target.name}`),
  ];
}
