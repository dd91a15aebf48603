/**
 * @m8/metrics — Prometheus metrics for m8 services: the contract's HTTP metrics by group with
 * bounded cardinality, process metrics, auth and health signals, and `GET /metrics`.
 */
export { createMetricsPlugin, MetricsPlugin, MetricsPluginReusedError, METRICS_REGISTRY, VERSION } from './metrics-plugin';
export { HttpMetrics } from './http-metrics';
export type { HttpMetricsOptions } from './http-metrics';
export { observeAuth, AUTH_FAILURE_REASONS, REVOCATION_RESULTS } from './auth-metrics';
export type { AuthMetricsOptions } from './auth-metrics';
export { observeHealthChecks, HEALTH_STATUSES, MAX_HEALTH_CHECKS } from './health-metrics';
export type { HealthMetricsOptions } from './health-metrics';
export { metricsRoute, bearerCredential, METRICS_PATH } from './scrape-route';
export { registerProcessMetrics } from './process-metrics';
export { metricPrefix, methodIndex, statusClass, METHOD_LABELS, OTHER_METHOD, HTTP_DURATION_BUCKETS, REVOCATION_DURATION_BUCKETS } from './labels';
export { FastCounter, FastHistogram, HistogramCell } from './fast-metrics';
export type { CounterCell, Labels } from './fast-metrics';
