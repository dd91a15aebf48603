/**
 * @m8/metrics — Prometheus metrics for m8 services: the HTTP metrics by group with bounded
 * cardinality, process metrics, auth and health signals, and `GET /metrics`. List `metrics()` in
 * `bootstrap()`'s `plugins`.
 */
export { metrics, MetricsPlugin, MetricsPluginReusedError, METRICS_REGISTRY, METRICS_PACKAGE } from './metrics-plugin';
export type { MetricsErrorCode } from './metrics-plugin';
export { MetricsLabelError } from './fast-metrics';
export { METRICS_PATH } from './scrape-route';
