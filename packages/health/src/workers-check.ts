/**
 * In a worker of a `WORKERS` > 1 service, readiness reflects every worker: this check is `ok` when
 * all of them are ready, `degraded` (still 200: the service answers) while some are not — one
 * crashed and is being replaced, or still starting — and carries the counts in its detail.
 */
import type { ClusterMember } from '@m8/core';
import type { HealthCheck } from './check';
import { HealthCheckResult } from './result';

export const WORKERS_CHECK = 'workers';

export function workersCheck(member: ClusterMember): HealthCheck {
  return {
    name: WORKERS_CHECK,
    check: () => {
      const { expected, ready } = member.workers();
      const meta = { expected, ready };
      return ready >= expected ? HealthCheckResult.ok(meta) : HealthCheckResult.degraded(`${ready} of ${expected} workers ready`, meta);
    },
  };
}
