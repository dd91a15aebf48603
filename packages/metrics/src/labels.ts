/**
 * Metric names and bounded label values. Every label value that reaches a series comes from a
 * closed set defined here (or from core's route templates), so no client can mint new series.
 */

/**
 * The metric name prefix derived from `API_PREFIX`, the way the Python stack derives it:
 * `/api` → `api_`, `/api/v1` → `api_v1_`, '' → ''. Any character outside `[a-zA-Z0-9_]` becomes
 * `_`, and a leading digit gets a `_` in front, so the result is always a valid metric name start.
 */
export function metricPrefix(apiPrefix: string): string {
  const body = apiPrefix.replace(/^\/+|\/+$/g, '').replace(/[^a-zA-Z0-9_]/g, '_');
  if (body === '') return '';
  return `${/^[0-9]/.test(body) ? '_' : ''}${body}_`;
}

/** Methods kept as their own `method` label value; anything else is counted as `OTHER`. */
export const KNOWN_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'] as const;
export const OTHER_METHOD = 'OTHER';

/** `method` label values, indexed by `methodIndex()`. */
export const METHOD_LABELS: readonly string[] = [...KNOWN_METHODS, OTHER_METHOD];

const METHOD_INDEX = new Map<string, number>(KNOWN_METHODS.map((method, index) => [method, index]));
const OTHER_INDEX = KNOWN_METHODS.length;

/** Index of a request method in `METHOD_LABELS` (unknown methods share the `OTHER` slot). */
export function methodIndex(method: string): number {
  return METHOD_INDEX.get(method) ?? OTHER_INDEX;
}

/** `4xx` for 404: the `status_class` label. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** Koa only accepts statuses in 100..999; anything else is folded into 500 before it labels a series. */
export function boundedStatus(status: unknown): number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 999 ? status : 500;
}

/** The latency buckets of the contract (§6): 5 ms to 10 s, prom-client's defaults. */
export const HTTP_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Revocation calls time out after 3 s (docs/interop.md §4); cache hits are sub-millisecond. */
export const REVOCATION_DURATION_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
