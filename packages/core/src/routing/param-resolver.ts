/**
 * One function per action parameter, chosen at start-up: it reads the value from the request the
 * way routing-controllers' Koa driver does, normalises it (see `normalize-param.ts`) and applies
 * `required` as routing-controllers does, answering with a 422 whose `loc` names the parameter.
 */
import type { Context } from 'koa';
import { UnauthorizedError, type Action, type ParamMetadata } from 'routing-controllers';
import type { AuthProvider } from '../plugin';
import { AuthPluginRequiredError } from '../controllers';
import type { RequestValidation } from './dto-input';
import { compileNormalizer, isPromise, needsNoNormalisation } from './normalize-param';
import { issueProblem, locOf } from './validation-issues';
import { RoutingSetupError } from './routing-errors';

export type ParamResolver = (action: Action) => unknown;

/** The parameter kinds the compiled executor reads itself; any other sends its controller to routing-controllers. */
export const SUPPORTED_PARAM_KINDS: ReadonlySet<string> = new Set([
  'body', 'body-param', 'param', 'params', 'query', 'queries', 'header', 'headers', 'state', 'current-user', 'context', 'request', 'response',
]);

export function compileParam(param: ParamMetadata, auth: AuthProvider | undefined, validation: RequestValidation | undefined): ParamResolver {
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
  const normalize = needsNoNormalisation(param) ? undefined : compileNormalizer(param, validation);
  return (action) => {
    const raw = read(action.context as Context);
    const value = normalize === undefined ? raw : normalize(raw);
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
      throw new RoutingSetupError(`parameter kind "${param.type}" is not handled by the compiled executor`);
  }
}

/** routing-controllers' `required` rules: a nameless body must not be empty nor `{}`; a named value must not be empty. */
function requiredCheck(param: ParamMetadata): ((value: unknown, action: Action) => unknown) | undefined {
  if (!param.required) return undefined;
  const empty = (value: unknown): boolean => value === null || value === undefined || value === '';
  const missing = (action: Action) => issueProblem(locOf(param), requiredMessage(param, action), 'missing');
  if (param.type === 'body' && !param.name) {
    return (value, action) => {
      if (empty(value) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0)) throw missing(action);
      return value;
    };
  }
  if (!param.name) return undefined;
  return (value, action) => {
    if (empty(value)) throw missing(action);
    return value;
  };
}

/** routing-controllers' `ParamRequiredError` message, word for word. */
export function requiredMessage(param: { readonly type: string; readonly name?: string }, action: Action): string {
  const labels: Record<string, string> = {
    param: `Parameter "${param.name}" is`, body: 'Request body is', 'body-param': `Body parameter "${param.name}" is`,
    query: `Query parameter "${param.name}" is`, header: `Header "${param.name}" is`, cookie: 'Cookie is', session: 'Session is',
    file: `Uploaded file "${param.name}" is`, files: `Uploaded files "${param.name}" are`,
  };
  const request = action.request as { method: string; url: string };
  return `${labels[param.type] ?? 'Parameter is'} required for request on ${request.method} ${request.url}`;
}

/** routing-controllers' `AuthorizationRequiredError` (a 401), through its exported base class. */
export function authorizationRequired(action: Action): UnauthorizedError {
  const request = action.request as { method: string; url: string };
  return new UnauthorizedError(`Authorization is required for request on ${request.method} ${request.url}`);
}

function currentUser(param: ParamMetadata, auth: AuthProvider | undefined): ParamResolver {
  if (auth === undefined) throw new AuthPluginRequiredError('@CurrentUser() needs an auth plugin in bootstrap()\'s plugins');
  if (!param.required) return (action) => auth.currentUserChecker(action);
  return (action) => {
    const user = auth.currentUserChecker(action);
    if (isPromise(user)) {
      return user.then((settled) => {
        if (!settled) throw authorizationRequired(action);
        return settled;
      });
    }
    if (!user) throw authorizationRequired(action);
    return user;
  };
}
