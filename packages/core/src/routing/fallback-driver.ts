/**
 * routing-controllers, for the controllers the compiled executor does not serve, through its public
 * driver API: a `KoaDriver` whose middlewares are collected (so the routing stage is one visible
 * middleware in bootstrap.ts, not hidden `app.use` calls), whose actions first get m8's DTO shape
 * checks (`dto-input.ts`), and whose parameter errors become 422s with the same `loc` the
 * compiled executor gives. Its `allowedMethods()` is left out: the routing stage answers 405/501
 * for compiled and routing-controllers actions together.
 */
import type { Middleware } from 'koa';
import { BadRequestError, KoaDriver, type Action, type ActionMetadata, type ParamMetadata } from 'routing-controllers';
import type { ValidationError } from 'class-validator';
import { dtoOf, declaredArray, DtoInput, type RequestValidation } from './dto-input';
import { requiredMessage } from './param-resolver';
import { issueProblem, locOf, validationProblem } from './validation-issues';

type Execute = (action: Action) => unknown;
type Prepare = (action: Action) => Promise<void>;

/** A @koa/router layer, as far as the routing stage reads it. */
export interface RouterLayer {
  readonly methods: readonly string[];
  match(path: string): boolean;
}

export class FallbackDriver extends KoaDriver {
  readonly middlewares: Middleware[];

  constructor(private readonly validation: RequestValidation | undefined) {
    const middlewares: Middleware[] = [];
    super({ use: (middleware: Middleware) => middlewares.push(middleware) });
    this.middlewares = middlewares;
  }

  /** The router's layers, one per registered action, in registration order. */
  get layers(): readonly RouterLayer[] {
    return (this.router as { stack: RouterLayer[] }).stack;
  }

  override registerRoutes(): void {
    this.middlewares.push((this.router as { routes(): Middleware }).routes());
  }

  override registerAction(meta: ActionMetadata, execute: Execute): void {
    const prepare = compilePrepare(meta, this.validation);
    if (prepare === undefined) return super.registerAction(meta, execute);
    super.registerAction(meta, (action) =>
      prepare(action).then(
        () => execute(action),
        (error: unknown) => this.handleError(error, meta, action),
      ),
    );
  }

  override handleError(error: unknown, meta: ActionMetadata | undefined, action: Action): Promise<void> {
    return super.handleError(meta === undefined ? error : translate(error, meta, action), meta as ActionMetadata, action);
  }
}

/**
 * DTO parameters in the body (and JSON query parameters): shape checks and whitelisting before
 * routing-controllers transforms them; arrays of DTOs validated here, their instances handed on.
 */
function compilePrepare(meta: ActionMetadata, validation: RequestValidation | undefined): Prepare | undefined {
  const steps: Prepare[] = [];
  for (const param of meta.params) {
    const slot = slotOf(param);
    const dto = dtoOf(param);
    if (slot === undefined || dto === undefined || meta.options.transformRequest === false) continue;
    const enabled = param.validate instanceof Object || param.validate === true || (validation !== undefined && param.validate !== false);
    const input = new DtoInput(dto, param, validation, enabled);
    const array = declaredArray(param);
    steps.push(async (action) => {
      let value = slot.read(action);
      if (value === undefined || value === null) return; // routing-controllers decides (required)
      if (typeof value === 'string') {
        if (param.type !== 'query') return; // JSON text in a body: routing-controllers parses it
        const parsed = parseJson(value);
        if (parsed === UNPARSABLE) return; // routing-controllers answers it (ParameterParseJsonError)
        value = parsed;
      }
      // routing-controllers hands an array through untouched: give it the validated instances.
      slot.write(action, array ? await input.transformAndValidate(value) : input.prepare(value));
    });
  }
  if (steps.length === 0) return undefined;
  return async (action) => {
    for (const step of steps) await step(action);
  };
}

interface Slot {
  read(action: Action): unknown;
  write(action: Action, value: unknown): void;
}

/** Where routing-controllers' Koa driver reads a parameter, for the kinds whose value can be any JSON. */
function slotOf(param: ParamMetadata): Slot | undefined {
  const body = (action: Action) => action.request as { body?: Record<string, unknown> };
  switch (param.type) {
    case 'body':
      return { read: (action) => body(action).body, write: (action, value) => (body(action).body = value as Record<string, unknown>) };
    case 'body-param':
      return { read: (action) => body(action).body?.[param.name], write: (action, value) => (body(action).body![param.name] = value) };
    case 'query': {
      if (!param.parse && !param.isTargetObject) return undefined;
      const query = (action: Action) => (action.context as { query: Record<string, unknown> }).query;
      return { read: (action) => query(action)[param.name], write: (action, value) => (query(action)[param.name] = value) };
    }
    default:
      return undefined;
  }
}

const UNPARSABLE = Symbol('unparsable');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return UNPARSABLE;
  }
}

const OBJECT_KINDS = new Set(['queries', 'headers', 'params', 'cookies']);

/** routing-controllers' parameter errors → core's 422, `loc` naming the parameter's source. */
function translate(error: unknown, meta: ActionMetadata, action: Action): unknown {
  if (!(error instanceof BadRequestError)) return error;
  const params = meta.params;
  if (error.name === 'ParamRequiredError') {
    const param = params.find((p) => requiredMessage(p, action) === error.message);
    return param === undefined ? error : issueProblem(locOf(param), error.message, 'missing');
  }
  const invalid = invalidParam(error.message);
  if (invalid !== undefined) {
    const key = invalid.name;
    const type = invalid.into === 'JSON' ? 'json_invalid' : 'value_error';
    const param = params.find((p) => p.name === key && !OBJECT_KINDS.has(p.type));
    if (param !== undefined) return issueProblem(locOf(param), error.message, type);
    const owner = params.find((p) => OBJECT_KINDS.has(p.type) && declares(p, key));
    return owner === undefined ? error : issueProblem(locOf(owner, key), error.message, type);
  }
  const failures = (error as { errors?: unknown }).errors;
  const kind = /^Invalid ([\w-]+), /.exec(error.message)?.[1];
  if (Array.isArray(failures) && kind !== undefined) {
    const name = (error as { paramName?: string }).paramName;
    const param = params.find((p) => p.type === kind && p.name === name);
    if (param !== undefined) return validationProblem(failures as ValidationError[], locOf(param));
  }
  return error;
}

/**
 * `Given parameter <name> is invalid. Value (<json>) cannot be parsed into <type>.` (its
 * `InvalidParamError` and `ParameterParseJsonError`), read with indexOf: the value can be long.
 */
function invalidParam(message: string): { name: string; into: string } | undefined {
  const head = 'Given parameter ';
  const middle = ' is invalid. Value (';
  const tail = ') cannot be parsed into ';
  if (!message.startsWith(head) || !message.endsWith('.')) return undefined;
  const nameEnd = message.indexOf(middle, head.length);
  const typeStart = message.lastIndexOf(tail);
  if (nameEnd < 0 || typeStart < nameEnd) return undefined;
  return { name: message.slice(head.length, nameEnd), into: message.slice(typeStart + tail.length, -1) };
}

function declares(param: ParamMetadata, key: string): boolean {
  const target = param.targetType as { prototype?: object } | undefined;
  return target?.prototype !== undefined && Reflect.getMetadata('design:type', target.prototype, key) !== undefined;
}
