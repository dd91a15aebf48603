/**
 * Writes an action's result the way routing-controllers' Koa driver does (`handleSuccess`):
 * `@HttpCode`, `@OnUndefined`/`@OnNull`, `@Header`/`@ContentType`/`@Location`, undefined → 404,
 * null → 204, binary as a Buffer. `instanceToPlain` runs only when the result holds something
 * other than plain JSON data (an entity with `@Exclude()`, a Date, a Map...): plain objects and
 * arrays go out as they are, which is what `instanceToPlain` would have produced from them.
 */
import type { Context } from 'koa';
import { instanceToPlain } from 'class-transformer';
import { NotFoundError, type Action } from 'routing-controllers';
import type { ActionMetadata } from 'routing-controllers';

export type ResultWriter = (ctx: Context, result: unknown, action: Action) => void;

/** Deeper than this, the plain-data check gives up and class-transformer decides, as before. */
const MAX_PLAIN_DEPTH = 16;

type ErrorClass = new (action: Action) => Error;

export function compileResultWriter(meta: ActionMetadata): ResultWriter {
  const transformOptions = meta.responseClassTransformOptions;
  const transforms = meta.options.transformResponse !== false;
  const undefinedCode = meta.undefinedResultCode as number | ErrorClass | undefined;
  const nullCode = meta.nullResultCode as number | ErrorClass | undefined;
  const successCode = meta.successHttpCode;
  const headers = Object.entries(meta.headers as Record<string, string>);

  return (ctx, result, action) => {
    const response = ctx.response;
    // Returning the context or the response itself means "I answered".
    if (result && (result === response || result === ctx)) return;
    if (transforms && needsTransform(result, transformOptions !== undefined)) result = instanceToPlain(result, transformOptions);
    if (result === undefined) {
      if (typeof undefinedCode === 'function') throw new undefinedCode(action);
      if (!undefinedCode) throw new NotFoundError();
    } else if (result === null) {
      if (typeof nullCode === 'function') throw new nullCode(action);
      response.body = null;
    } else if (result instanceof Uint8Array) {
      response.body = Buffer.from(result);
    } else {
      response.body = result;
    }
    if (result === undefined && undefinedCode) response.status = undefinedCode as number;
    else if (result === null && nullCode) response.status = nullCode as number;
    else if (successCode) response.status = successCode;
    else if (response.body === null) response.status = 204;
    for (const [name, value] of headers) response.set(name, value);
  };
}

/** routing-controllers transforms every object but binary data and streams; plain data needs no transform. */
function needsTransform(result: unknown, forced: boolean): boolean {
  if (typeof result !== 'object' || result === null) return false;
  if (result instanceof Uint8Array || typeof (result as { pipe?: unknown }).pipe === 'function') return false;
  return forced || !isPlainData(result, 0);
}

function isPlainData(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return typeof value !== 'function' && typeof value !== 'symbol';
  if (depth > MAX_PLAIN_DEPTH) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) if (!isPlainData(array[i], depth + 1)) return false;
    return true;
  }
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const key in value) {
    if (!isPlainData((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
