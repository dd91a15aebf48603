/**
 * One function per action parameter, chosen at start-up: it reads the value from the request the
 * way routing-controllers' Koa driver does, normalises it (see `normalize-param.ts`) and applies
 * `required` with routing-controllers' errors, so the error layer answers exactly as before.
 */
import type { Context } from 'koa';
import type { Action } from 'routing-controllers';
import type { AuthProvider } from '../plugin';
import { AuthPluginRequiredError } from '../controllers';
import { InvariantError } from '../m8-error';
import { isPromise, needsNoNormalisation, normalizeParam, type ValidationSetting } from './normalize-param';
import { AuthorizationRequiredError, ParamRequiredError, type ParamMetadata } from './rc-internals';

export type ParamResolver = (action: Action) => unknown;

/** The parameter kinds the fast executor reads itself; any other sends its action to routing-controllers. */
export const SUPPORTED_PARAM_KINDS: ReadonlySet<string> = new Set([
  'body', 'body-param', 'param', 'params', 'query', 'queries', 'header', 'headers', 'state', 'current-user', 'context', 'request', 'response',
]);

export function compileParam(param: ParamMetadata, auth: AuthProvider | undefined, validation: ValidationSetting): ParamResolver {
  switch (param.type) {
    case 'request':
      return (action) => action.request;
    case 'response':
      return (action) => action.response;
    case 'context':
      return (action) => action.context;
    case 'current-user':
      return currentUser(param, auth);
  }
  const read = reader(param);
  const required = requiredCheck(param);
  const plain = needsNoNormalisation(param);
  return (action) => {
    const raw = read(action.context as Context);
    const value = plain ? raw : normalizeParam(raw, param, validation);
    if (required === undefined) return value;
    return isPromise(value) ? value.then((settled) => required(settled, action)) : required(value, action);
  };
}

function reader(param: ParamMetadata): (ctx: Context) => unknown {
  const name = param.name;
  switch (param.type) {
    case 'body':
      return (ctx) => (ctx.request as { body?: unknown }).body;
    case 'body-param':
      return (ctx) => ((ctx.request as { body?: Record<string, unknown> }).body ?? {})[name];
    case 'param':
      return (ctx) => (ctx.params as Record<string, string> | undefined)?.[name];
    case 'params':
      return (ctx) => ctx.params as unknown;
    case 'query':
      return (ctx) => ctx.query[name];
    case 'queries':
      return (ctx) => ctx.query;
    case 'header': {
      const header = name.toLowerCase();
      return (ctx) => ctx.headers[header];
    }
    case 'headers':
      return (ctx) => ctx.request.headers;
    case 'state':
      return name ? (ctx) => (ctx.state as Record<string, unknown>)[name] : (ctx) => ctx.state;
    default:
      throw new InvariantError(`parameter kind "${param.type}" is not handled by the fast executor`);
  }
}

/** routing-controllers' `required` rules: a nameless body must not be empty nor `{}`; a named value must not be empty. */
function requiredCheck(param: ParamMetadata): ((value: unknown, action: Action) => unknown) | undefined {
  if (!param.required) return undefined;
  const empty = (value: unknown): boolean => value === null || value === undefined || value === '';
  if (param.type === 'body' && !param.name) {
    return (value, action) => {
      if (empty(value) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)) throw new ParamRequiredError(action, param);
      return value;
    };
  }
  if (!param.name) return undefined;
  return (value, action) => {
    if (empty(value)) throw new ParamRequiredError(action, param);
    return value;
  };
}

function currentUser(param: ParamMetadata, auth: AuthProvider | undefined): ParamResolver {
  if (auth === undefined) throw new AuthPluginRequiredError('@CurrentUser() needs an auth plugin in bootstrap()\'s plugins');
  if (!param.required) return (action) => auth.currentUserChecker(action);
  return (action) => {
    const user = auth.currentUserChecker(action);
    if (isPromise(user)) {
      return user.then((settled) => {
        if (!settled) throw new AuthorizationRequiredError(action);
        return settled;
      });
    }
    if (!user) throw new AuthorizationRequiredError(action);
    return user;
  };
}
