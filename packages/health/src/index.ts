// Public surface of @m8/health. Everything not listed here is internal.
export { HealthConfig } from './health-config';
export { HealthCheckResult } from './result';
export { HealthStatus, HealthPolicy, overallStatus } from './status';
export { httpDependencyCheck } from './http-dependency-check';
export { HealthOptionsError, HealthStatusError, HealthCheckTimeoutError } from './errors';
export { REDACTED, redactMeta, scrubMessage, isSecretKey } from './scrub';
export { HEALTH_DEFAULTS } from './options';
export { HEALTH_PACKAGE } from './version';

export type { HealthCheck, HealthCheckContext } from './check';
export type { HealthMeta } from './result';
export type { HealthOptions, HealthDetailAuthorizer, ResolvedHealthOptions } from './options';
export type { HealthOptionProblem, HealthErrorCode } from './errors';
export type { HttpDependencyCheckOptions } from './http-dependency-check';
