/**
 * routing-controllers' metadata is process-global: every controller class ever decorated in the
 * process is in it (other apps, other tests). The document must describe this app's controllers
 * only, so it is generated from a storage holding just them.
 */
import type { ControllerClass } from '@m8/core';
import { getMetadataArgsStorage, MetadataArgsStorage } from 'routing-controllers';

export type { ControllerClass };

/**
 * A `MetadataArgsStorage` with only the given controllers, their actions, parameters and
 * response handlers. Actions inherited from a base class (routing-controllers mounts them on the
 * subclass) are copied onto the subclass, as the router sees them.
 */
export function storageFor(controllers: readonly ControllerClass[], global: MetadataArgsStorage = getMetadataArgsStorage()): MetadataArgsStorage {
  const storage = new MetadataArgsStorage();
  for (const controller of controllers) {
    const declared = global.controllers.find((c) => c.target === controller);
    if (declared === undefined) continue; // not decorated: routing-controllers ignores it too
    storage.controllers.push(declared);
    const seen = new Set<string>();
    for (let target: ControllerClass | null = controller; target && target !== Function.prototype; target = Object.getPrototypeOf(target)) {
      const own = target === controller;
      for (const action of global.actions) {
        if (action.target !== target || seen.has(action.method)) continue;
        seen.add(action.method);
        storage.actions.push(own ? action : { ...action, target: controller });
        for (const param of global.params) {
          if (param.object.constructor === target && param.method === action.method) {
            storage.params.push(own ? param : { ...param, object: controller.prototype as object });
          }
        }
        for (const handler of global.responseHandlers) {
          if (handler.target === target && handler.method === action.method) {
            storage.responseHandlers.push(own ? handler : { ...handler, target: controller });
          }
        }
      }
    }
    // Class-level handlers (`@Authorized()` on the controller) carry no method.
    for (const handler of global.responseHandlers) {
      if (handler.target === controller && handler.method === undefined) storage.responseHandlers.push(handler);
    }
  }
  return storage;
}
