/**
 * routing-controllers' parameter normalisation, step for step (`ActionParameterHandler`
 * `normalizeParamValue` in 0.11.3), but synchronous unless class-validator has to run: strings
 * become numbers/booleans/dates from the reflected type, object parameters (`@QueryParams()`...)
 * have their typed keys converted, class-typed values are `plainToInstance`d and validated.
 */
import { plainToInstance } from 'class-transformer';
import { validate, type ValidatorOptions } from 'class-validator';
import { InvalidParamError, ParameterParseJsonError, type ParamMetadata } from './rc-internals';
import { validationProblem } from './validation-issues';

/** Parameter kinds whose object value gets its typed keys converted one by one. */
const OBJECT_KINDS = new Set(['queries', 'headers', 'params', 'cookies']);
const PRIMITIVES = new Set(['number', 'string', 'boolean']);

/** App-wide validation: `undefined` when validation is off. */
export type ValidationSetting = ValidatorOptions | undefined;

export function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** True when the value of this parameter can skip `normalizeParam` entirely (a string param typed string or untyped). */
export function needsNoNormalisation(param: ParamMetadata): boolean {
  if (OBJECT_KINDS.has(param.type)) return false;
  const transforms = (param.parse || param.isTargetObject) && param.type !== 'param';
  return (param.targetName === 'string' || param.targetName === '') && !param.isArray && !transforms;
}

export function normalizeParam(value: unknown, param: ParamMetadata, validation: ValidationSetting): unknown {
  if (value === null || value === undefined) return value;
  if (typeof value === 'object' && OBJECT_KINDS.has(param.type)) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const pending: Promise<unknown>[] = [];
    const prototype = typeof param.targetType === 'function' ? (param.targetType as { prototype: object }).prototype : undefined;
    for (const key of Object.keys(copy)) {
      const keyValue = copy[key];
      if (typeof keyValue !== 'string' || prototype === undefined) continue;
      const type = Reflect.getMetadata('design:type', prototype, key) as { name: string } | undefined;
      if (!type) continue;
      const normalized = normalizeParam(keyValue, { ...param, name: key, targetType: type, targetName: type.name.toLowerCase() } as ParamMetadata, validation);
      if (isPromise(normalized)) pending.push(normalized.then((settled) => (copy[key] = settled)));
      else copy[key] = normalized;
    }
    if (pending.length > 0) return Promise.all(pending).then(() => transformAndValidate(copy, param, validation));
    return transformAndValidate(copy, param, validation);
  }
  if (typeof value === 'string') {
    switch (param.targetName) {
      case 'number':
      case 'string':
      case 'boolean':
      case 'date': {
        const normalized = normalizeString(value, param.name, param.targetName);
        return param.isArray ? [normalized] : normalized;
      }
      case 'array':
        return [value];
    }
  } else if (Array.isArray(value)) {
    value = value.map((item: unknown) => normalizeString(item, param.name, param.targetName));
  }
  return transformAndValidate(value, param, validation);
}

function normalizeString(value: unknown, name: string, type: string): unknown {
  switch (type) {
    case 'number': {
      if (value === '') throw new InvalidParamError(value, name, type);
      const number = +(value as string);
      if (Number.isNaN(number)) throw new InvalidParamError(value, name, type);
      return number;
    }
    case 'boolean':
      if (value === 'true' || value === '1' || value === '') return true;
      if (value === 'false' || value === '0') return false;
      throw new InvalidParamError(value, name, type);
    case 'date': {
      const date = new Date(value as string);
      if (Number.isNaN(date.getTime())) throw new InvalidParamError(value, name, type);
      return date;
    }
    default:
      return value;
  }
}

function transformAndValidate(value: unknown, param: ParamMetadata, validation: ValidationSetting): unknown {
  const needed = (param.parse || param.isTargetObject) && param.type !== 'param';
  if (PRIMITIVES.has(param.targetName) || !needed) return value;
  const target = typeof param.targetType === 'function' ? (param.targetType as new () => object) : undefined;
  if (typeof value === 'string') {
    if ((param.type === 'queries' || param.type === 'query') && param.targetName === 'array') value = [value];
    else {
      try {
        value = JSON.parse(value);
      } catch {
        throw new ParameterParseJsonError(param.name, value);
      }
    }
  }
  if (target !== undefined && target !== Object && param.actionMetadata.options.transformRequest !== false && !(value instanceof target)) {
    value = plainToInstance(target, value, param.classTransform);
  }
  const enabled = param.validate instanceof Object || param.validate === true || (validation !== undefined && param.validate !== false);
  if (!enabled || target === undefined || target === Object || !(value instanceof target)) return value;
  const options = Object.assign({ forbidUnknownValues: false }, validation, param.validate);
  const validated = value;
  return validate(validated, options).then((errors) => {
    if (errors.length > 0) throw validationProblem(errors);
    return validated;
  });
}
