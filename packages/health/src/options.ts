/**
 * `HealthConfig` options: one defaults object, one validation pass that reports every problem,
 * then a frozen result (the Fastify way). Nothing is re-checked per request.
 */
import type { M8Context } from '@m8/core';
import type { HealthCheck } from './check';
import { HealthOptionsError, type HealthOptionProblem } from './errors';
import { HEALTH_POLICIES, HealthPolicy } from './status';

/** Decides whether a request may see the detail body (besides the internal token and `detailPublic`). */
export type HealthDetailAuthorizer = (ctx: M8Context) => boolean | Promise<boolean>;

export interface HealthOptions {
  /** The checks to run, concurrently. Names must be unique. Default: none (the service is `ok` once ready). */
  readonly checks?: readonly HealthCheck[];
  /** Per-check time limit, in seconds; a slower check is `fail` with `timeout <ms>ms`. Default 0.5, range (0, 60]. */
  readonly timeout?: number;
  /** How `unknown` counts: LENIENT (default) keeps 200, STRICT answers 503. */
  readonly policy?: HealthPolicy;
  /** Show the detail body to everyone. Default false: only to the internal token or the authoriser. */
  readonly detailPublic?: boolean;
  /** Extra gate for the detail body, e.g. a trusted network. A throw counts as "no". */
  readonly detailAuthorizer?: HealthDetailAuthorizer;
  /** Seconds results are reused; 0 runs the checks on every probe (still one run at a time). Default 2, range [0, 3600]. */
  readonly cacheTtl?: number;
}

/** Options after validation: complete, frozen, times in milliseconds. */
export interface ResolvedHealthOptions {
  readonly checks: readonly HealthCheck[];
  readonly timeoutMs: number;
  readonly policy: HealthPolicy;
  readonly detailPublic: boolean;
  readonly detailAuthorizer: HealthDetailAuthorizer | undefined;
  readonly cacheTtlMs: number;
}

export const HEALTH_DEFAULTS = Object.freeze({
  checks: Object.freeze([]) as readonly HealthCheck[],
  timeout: 0.5,
  policy: HealthPolicy.LENIENT as HealthPolicy,
  detailPublic: false,
  cacheTtl: 2,
});

const KNOWN = new Set(['checks', 'timeout', 'policy', 'detailPublic', 'detailAuthorizer', 'cacheTtl']);

/** Validates `options` in one pass; throws `HealthOptionsError` listing every problem. */
export function resolveHealthOptions(options: HealthOptions | undefined): ResolvedHealthOptions {
  const given = (options ?? {}) as Record<string, unknown>;
  const problems: HealthOptionProblem[] = [];
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new HealthOptionsError([{ option: 'options', problem: 'must be an object' }]);
  }
  for (const key of Object.keys(given)) {
    if (!KNOWN.has(key)) problems.push({ option: key, problem: `unknown option (known: ${[...KNOWN].join(', ')})` });
  }
  const timeout = given.timeout ?? HEALTH_DEFAULTS.timeout;
  if (!isNumberIn(timeout, 0, 60) || timeout === 0) {
    problems.push({ option: 'timeout', problem: 'must be a number of seconds above 0 and at most 60 (e.g. 0.5)' });
  }
  const cacheTtl = given.cacheTtl ?? HEALTH_DEFAULTS.cacheTtl;
  if (!isNumberIn(cacheTtl, 0, 3600)) {
    problems.push({ option: 'cacheTtl', problem: 'must be a number of seconds from 0 to 3600 (0 = no cache)' });
  }
  const policy = given.policy ?? HEALTH_DEFAULTS.policy;
  if (!(HEALTH_POLICIES as readonly unknown[]).includes(policy)) {
    problems.push({ option: 'policy', problem: 'must be HealthPolicy.LENIENT or HealthPolicy.STRICT' });
  }
  const detailPublic = given.detailPublic ?? HEALTH_DEFAULTS.detailPublic;
  if (typeof detailPublic !== 'boolean') problems.push({ option: 'detailPublic', problem: 'must be a boolean' });
  const detailAuthorizer = given.detailAuthorizer;
  if (detailAuthorizer !== undefined && typeof detailAuthorizer !== 'function') {
    problems.push({ option: 'detailAuthorizer', problem: 'must be a function (ctx) => boolean | Promise<boolean>' });
  }
  const checks = given.checks ?? HEALTH_DEFAULTS.checks;
  checkChecks(checks, problems);
  if (problems.length > 0) throw new HealthOptionsError(problems);
  return Object.freeze({
    checks: Object.freeze([...(checks as HealthCheck[])]),
    timeoutMs: Math.round((timeout as number) * 1000),
    policy: policy as HealthPolicy,
    detailPublic: detailPublic as boolean,
    detailAuthorizer: detailAuthorizer as HealthDetailAuthorizer | undefined,
    cacheTtlMs: Math.round((cacheTtl as number) * 1000),
  });
}

function checkChecks(checks: unknown, problems: HealthOptionProblem[]): void {
  if (!Array.isArray(checks)) {
    problems.push({ option: 'checks', problem: 'must be an array of { name, check } objects' });
    return;
  }
  const names = new Set<string>();
  checks.forEach((entry: unknown, index) => {
    const at = `checks[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      problems.push({ option: at, problem: 'must be an object with a name and a check() method' });
      return;
    }
    const { name, check } = entry as { name?: unknown; check?: unknown };
    if (typeof name !== 'string' || name.trim() === '') {
      problems.push({ option: `${at}.name`, problem: 'must be a non-empty string' });
    } else if (names.has(name)) {
      problems.push({ option: `${at}.name`, problem: `duplicate check name "${name}"` });
    } else {
      names.add(name);
    }
    if (typeof check !== 'function') problems.push({ option: `${at}.check`, problem: 'must be a function' });
  });
}

function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}
