/**
 * Check statuses, the readiness policy, and how many check statuses fold into one (docs/interop.md §6).
 */

/**
 * The status of one check, and of the service overall.
 *
 * @example
 * HealthStatus.DEGRADED // 'degraded'
 */
export const HealthStatus = {
  OK: 'ok',
  DEGRADED: 'degraded',
  FAIL: 'fail',
  UNKNOWN: 'unknown',
} as const;
export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

/** Every valid status, for validation. */
export const HEALTH_STATUSES: readonly HealthStatus[] = Object.freeze(Object.values(HealthStatus));

/**
 * How `unknown` counts. LENIENT (default): an `unknown` check makes the service `unknown` (200).
 * STRICT: an `unknown` check fails the service (503), for dependencies you must be sure about.
 *
 * @example
 * new HealthConfig({ policy: HealthPolicy.STRICT, checks })
 */
export const HealthPolicy = {
  LENIENT: 'lenient',
  STRICT: 'strict',
} as const;
export type HealthPolicy = (typeof HealthPolicy)[keyof typeof HealthPolicy];

/** Every valid policy, for validation. */
export const HEALTH_POLICIES: readonly HealthPolicy[] = Object.freeze(Object.values(HealthPolicy));

/**
 * Folds check statuses into the overall one: any `fail` → `fail`; under STRICT any `unknown` →
 * `fail`; otherwise the worst of `unknown` > `degraded` > `ok`. No checks at all is `ok`.
 */
export function overallStatus(statuses: Iterable<HealthStatus>, policy: HealthPolicy): HealthStatus {
  let unknown = false;
  let degraded = false;
  for (const status of statuses) {
    if (status === 'fail') return 'fail';
    if (status === 'unknown') unknown = true;
    else if (status === 'degraded') degraded = true;
  }
  if (unknown) return policy === 'strict' ? 'fail' : 'unknown';
  return degraded ? 'degraded' : 'ok';
}

/** The HTTP status of a ready service whose overall status is `status`: 503 only for `fail`. */
export function httpStatusOf(status: HealthStatus): 200 | 503 {
  return status === 'fail' ? 503 : 200;
}
