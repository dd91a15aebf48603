/** class-validator failures → core's 422 (the same issue list the error layer builds from routing-controllers' 400). */
import type { ValidationError } from 'class-validator';
import { RequestValidationProblem, type ValidationIssue } from '../errors';

export function validationProblem(errors: readonly ValidationError[]): RequestValidationProblem {
  const issues: ValidationIssue[] = [];
  for (const error of errors) flatten(error, ['body'], issues);
  return new RequestValidationProblem(issues);
}

function flatten(error: ValidationError, parent: (string | number)[], out: ValidationIssue[]): void {
  const loc = [...parent, /^\d+$/.test(error.property) ? Number(error.property) : error.property];
  for (const [type, msg] of Object.entries(error.constraints ?? {})) out.push({ loc, msg, type });
  for (const child of error.children ?? []) flatten(child, loc, out);
}
