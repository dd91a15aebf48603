/**
 * The outermost error boundary: every error becomes a JSON answer with a `detail` member
 * (docs/interop.md §3). Only `HttpProblem`s, routing-controllers' `HttpError`s and body-parser errors
 * marked `expose` speak for themselves, and only below 500; anything else is a bare 500 whose
 * internals (stack, SQL, own properties) go to the log, never to the client.
 */
import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import type { ValidationError } from 'class-validator';
import { HttpProblem, type ValidationIssue } from '../errors';
import { flatten } from '../routing/validation-issues';
import type { Logger } from '../logger';

interface ForeignHttpError {
  httpCode?: number;
  status?: number;
  expose?: boolean;
  errors?: unknown;
  type?: string;
  message: string;
}

export function errorLayer(logger: Logger): Middleware {
  return async function errorLayer(ctx, next) {
    try {
      await next();
      if (ctx.status >= 400 && ctx.body == null) setProblem(ctx, ctx.status, defaultDetail(ctx.status));
    } catch (error) {
      answer(ctx, error, logger);
    }
  };
}

function answer(ctx: Context, error: unknown, logger: Logger): void {
  if (HttpProblem.is(error)) {
    setProblem(ctx, error.status, error.detail);
    for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
    return;
  }
  const foreign = (typeof error === 'object' && error !== null ? error : {}) as ForeignHttpError;
  const status = foreign.httpCode ?? foreign.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const issues = validationIssues(foreign);
    if (issues) return setProblem(ctx, 422, issues);
    const speaks = foreign.httpCode !== undefined || foreign.expose === true;
    // `@OnUndefined(NotFoundError)` builds the error from the action (routing-controllers passes it as the
    // message): only a string message speaks, or the request itself would be echoed.
    return setProblem(ctx, status, speaks && typeof foreign.message === 'string' && foreign.message ? foreign.message : defaultDetail(status));
  }
  logger.error({ err: error, requestId: ctx.state.requestId }, 'unhandled error');
  setProblem(ctx, 500, 'Internal Server Error');
}

function setProblem(ctx: Context, status: number, detail: unknown): void {
  ctx.status = status;
  ctx.body = { detail };
}

function defaultDetail(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** routing-controllers' parameter errors, answered in FastAPI's 422 shape. */
const PARAM_ERRORS: Record<string, string> = {
  ParamRequiredError: 'missing',
  ParamNormalizationError: 'value_error',
  ParameterParseJsonError: 'json_invalid',
};

/** class-validator failures (a 400 with `errors`) and parameter errors → the 422 issue list. */
function validationIssues(error: ForeignHttpError & { name?: string }): ValidationIssue[] | undefined {
  const paramType = error.name ? PARAM_ERRORS[error.name] : undefined;
  if (paramType) return [{ loc: ['request'], msg: error.message, type: paramType }];
  if (!Array.isArray(error.errors) || error.errors.length === 0) return undefined;
  return flatten(error.errors as ValidationError[], ['body']);
}
