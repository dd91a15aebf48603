/**
 * Where a request value came from, and class-validator failures as core's 422 issue list. One
 * `flatten` serves the compiled executor and the routing-controllers path alike, so `loc` reads
 * the same whichever serves the action: `["query", "limit"]`, `["path", "id"]`, `["body", "items", 0, "title"]`.
 */
import type { ValidationError } from 'class-validator';
import { RequestValidationProblem, type ValidationIssue } from '../errors';

export type Loc = readonly (string | number)[];

/** The FastAPI source name of each routing-controllers parameter kind. */
const SOURCES: Readonly<Record<string, string>> = {
  body: 'body', 'body-param': 'body',
  param: 'path', params: 'path',
  query: 'query', queries: 'query',
  header: 'header', headers: 'header',
  cookie: 'cookie', cookies: 'cookie',
};

/** The `loc` of a parameter (`name` for a single value, none for a whole object), or of `key` inside an object parameter. */
export function locOf(param: { readonly type: string; readonly name?: string }, key?: string): Loc {
  const source = SOURCES[param.type] ?? 'request';
  if (key !== undefined) return [source, key];
  return param.name && param.type !== 'body' ? [source, param.name] : [source];
}

/** Appends one issue per failed constraint of `errors` (and their children) under `root`. */
export function flatten(errors: readonly ValidationError[], root: Loc, out: ValidationIssue[] = []): ValidationIssue[] {
  for (const error of errors) {
    const loc = [...root, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
    for (const [type, msg] of Object.entries(error.constraints ?? {})) out.push({ loc, msg, type });
    flatten(error.children ?? [], loc, out);
  }
  return out;
}

export function validationProblem(errors: readonly ValidationError[], root: Loc): RequestValidationProblem {
  return new RequestValidationProblem(flatten(errors, root));
}

/** One issue: a missing value, a value that does not convert, a DTO that is not an object... */
export function issueProblem(loc: Loc, msg: string, type: string): RequestValidationProblem {
  return new RequestValidationProblem([{ loc, msg, type }]);
}
