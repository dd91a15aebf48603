/**
 * routing-controllers' parameter normalisation, step for step (`ActionParameterHandler`
 * `normalizeParamValue`), but synchronous unless class-validator has to run: strings become
 * numbers/booleans/dates from the reflected type, object parameters (`@QueryParams()`...) have
 * their typed keys converted in place (so `ctx.query` and `ctx.headers` read typed afterwards, as
 * with routing-controllers), DTO-typed values go through `DtoInput`. Failures are 422s whose `loc`
 * names where the value came from.
 */
import { plainToInstance } from 'class-transformer';
import type { ParamMetadata } from 'routing-controllers';
import { dtoOf, DtoInput, type RequestValidation } from './dto-input';
import { issueProblem, locOf, type Loc } from './validation-issues';

/** Parameter kinds whose object value gets its typed keys converted one by one. */
const OBJECT_KINDS = new Set(['queries', 'headers', 'params', 'cookies']);
const PRIMITIVES = new Set(['number', 'string', 'boolean']);

export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** True when the value of this parameter can skip normalisation entirely (a string param typed string or untyped). */
export function needsNoNormalisation(param: ParamMetadata): boolean {
  if (OBJECT_KINDS.has(param.type)) return false;
  return (param.targetName === 'string' || param.targetName === '') && !param.isArray && !transforms(param);
}

function transforms(param: ParamMetadata): boolean {
  return (param.parse || param.isTargetObject) && param.type !== 'param';
}

export type Normalizer = (value: unknown) => unknown;

/** The normaliser of one parameter, chosen at start-up. */
export function compileNormalizer(param: ParamMetadata, validation: RequestValidation | undefined): Normalizer {
  const enabled = param.validate instanceof Object || param.validate === true || (validation !== undefined && param.validate !== false);
  const dto = dtoOf(param);
  const input = dto !== undefined && transforms(param) && param.type !== 'state' ? new DtoInput(dto, param, validation, enabled) : undefined;
  const finish = (value: unknown): unknown => {
    if (PRIMITIVES.has(param.targetName) || !transforms(param)) return value;
    value = parseJson(value, param);
    if (input !== undefined && param.actionMetadata.options.transformRequest !== false) return input.transformAndValidate(value);
    const target = param.targetType as (new () => object) | undefined;
    if (typeof target === 'function' && target !== Object && param.actionMetadata.options.transformRequest !== false && !(value instanceof target)) {
      return plainToInstance(target, value, param.classTransform);
    }
    return value;
  };
  return (value) => normalize(value, param, finish);
}

function normalize(value: unknown, param: ParamMetadata, finish: Normalizer): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'object' && OBJECT_KINDS.has(param.type)) {
    convertKeysInPlace(value as Record<string, unknown>, param);
    return finish(value);
  }
  if (typeof value === 'string') {
    switch (param.targetName) {
      case 'number':
      case 'string':
      case 'boolean':
      case 'date': {
        const normalized = normalizeString(value, param.targetName, locOf(param), param.name);
        return param.isArray ? [normalized] : normalized;
      }
      case 'array':
        return [value];
    }
  } else if (Array.isArray(value) && dtoOf(param) === undefined) {
    // routing-controllers converts each item and stops there: no transform, no validation.
    return value.map((item: unknown, i) => normalizeString(item, param.targetName, [...locOf(param), i], param.name));
  }
  return finish(value);
}

/** routing-controllers converts the typed keys of `ctx.query`/`ctx.headers`/`ctx.params` in the object itself. */
function convertKeysInPlace(value: Record<string, unknown>, param: ParamMetadata): void {
  const prototype = typeof param.targetType === 'function' ? (param.targetType as { prototype: object }).prototype : undefined;
  if (prototype === undefined) return;
  for (const key of Object.keys(value)) {
    const keyValue = value[key];
    if (typeof keyValue !== 'string') continue;
    const type = Reflect.getMetadata('design:type', prototype, key) as { name: string } | undefined;
    if (type === undefined) continue;
    const name = type.name.toLowerCase();
    if (name === 'array') value[key] = [keyValue];
    else value[key] = normalizeString(keyValue, name, locOf(param, key), key);
  }
}

function normalizeString(value: unknown, type: string, loc: Loc, name: string): unknown {
  switch (type) {
    case 'number': {
      const number = value === '' ? Number.NaN : +(value as string);
      if (Number.isNaN(number)) throw invalid(value, loc, type, name);
      return number;
    }
    case 'boolean':
      if (value === 'true' || value === '1' || value === '') return true;
      if (value === 'false' || value === '0') return false;
      throw invalid(value, loc, type, name);
    case 'date': {
      const date = new Date(value as string);
      if (Number.isNaN(date.getTime())) throw invalid(value, loc, type, name);
      return date;
    }
    default:
      return value;
  }
}

/** routing-controllers' message (`InvalidParamError`), with the parameter's real place. */
function invalid(value: unknown, loc: Loc, type: string, name: string) {
  return issueProblem(loc, `Given parameter ${name} is invalid. Value (${JSON.stringify(value)}) cannot be parsed into ${type}.`, 'value_error');
}

function parseJson(value: unknown, param: ParamMetadata): unknown {
  if (typeof value !== 'string') return value;
  if ((param.type === 'queries' || param.type === 'query') && param.targetName === 'array') return [value];
  try {
    return JSON.parse(value) as unknown;
  } catch {
    const loc = locOf(param);
    throw issueProblem(loc, `Given parameter ${param.name} is invalid. Value (${JSON.stringify(value)}) cannot be parsed into JSON.`, 'json_invalid');
  }
}
