/**
 * The HTTP metrics of docs/interop.md §6 and the Koa middleware that feeds them.
 *
 * Per request the middleware does one Map lookup by route template, one array index by method and
 * one Map lookup by status to reach pre-resolved cells, then increments numbers. Every label
 * combination is resolved once, the first time it is seen. Series are bounded by construction:
 * `endpoint` is a route template (or core's one unmatched value), `method` one of ten values,
 * `status_code` a Koa status.
 */
import type { Context, Middleware } from 'koa';
import type { Registry } from 'prom-client';
import { FastCounter, FastHistogram, type CounterCell, type HistogramCell } from './fast-metrics';
import { HTTP_DURATION_BUCKETS, METHOD_LABELS, boundedStatus, methodIndex, statusClass } from './labels';
import type { MetricsGroup } from '@m8/core';

export interface HttpMetricsOptions {
  readonly registry: Registry;
  /** Metric name prefix (`api_`), already sanitised. */
  readonly prefix: string;
  readonly groups: ReadonlySet<MetricsGroup>;
  /** The `endpoint` label of a finished request: core's `routeTemplate(ctx)`. */
  readonly routeTemplate: (ctx: Context) => string;
}

/** Cells of one (endpoint, method, status) combination; `null` where the group is off. */
interface StatusCells {
  readonly requests: CounterCell | null;
  readonly errors: CounterCell | null;
  readonly status: CounterCell | null;
}

/** Cells of one (endpoint, method) combination. */
interface RouteCells {
  readonly duration: HistogramCell | null;
  readonly byStatus: Map<number, StatusCells>;
}

/** The four HTTP metrics, each present only when its group is enabled. */
export class HttpMetrics {
  readonly requests: FastCounter | null;
  readonly duration: FastHistogram | null;
  readonly errors: FastCounter | null;
  readonly statuses: FastCounter | null;
  private readonly routes = new Map<string, (RouteCells | undefined)[]>();
  private readonly statusCells = new Map<number, CounterCell>();

  constructor(private readonly options: HttpMetricsOptions) {
    const { registry, prefix, groups } = options;
    this.requests = groups.has('traffic')
      ? new FastCounter(`${prefix}http_requests_total`, 'Total HTTP requests', ['method', 'endpoint', 'status_code']).registerIn(registry)
      : null;
    this.duration = groups.has('performance')
      ? new FastHistogram(
          `${prefix}http_request_duration_seconds`,
          'HTTP request latency in seconds',
          ['method', 'endpoint'],
          HTTP_DURATION_BUCKETS,
        ).registerIn(registry)
      : null;
    this.errors = groups.has('reliability')
      ? new FastCounter(`${prefix}http_errors_total`, 'Total 4xx and 5xx HTTP responses', ['method', 'endpoint', 'status_class']).registerIn(registry)
      : null;
    this.statuses = groups.has('health')
      ? new FastCounter(`${prefix}http_status_total`, 'HTTP responses by exact status code', ['status_code']).registerIn(registry)
      : null;
  }

  /** True when at least one HTTP metric is on, i.e. when a middleware is worth mounting. */
  get active(): boolean {
    return this.requests !== null || this.duration !== null || this.errors !== null || this.statuses !== null;
  }

  /**
   * The `observe` middleware. Mount it outside core's error layer so that it sees final statuses
   * (401, 413, 500 included). It never changes the response, and an error from below is counted
   * as the status Koa will answer, then rethrown untouched.
   */
  middleware(): Middleware {
    const timed = this.duration !== null;
    const routeTemplate = this.options.routeTemplate;
    return async (ctx, next) => {
      const start = timed ? performance.now() : 0;
      try {
        await next();
      } catch (error) {
        // Only reached when something escapes core's error layer; Koa will answer it.
        this.record(routeTemplate(ctx), ctx.method, errorStatus(error), start);
        throw error;
      }
      this.record(routeTemplate(ctx), ctx.method, ctx.status, start);
    };
  }

  /**
   * Counts one finished request; `start` is the `performance.now()` reading taken when it arrived
   * (ignored without the performance group). Exposed for custom servers and tests.
   */
  record(endpoint: string, method: string, status: number, start: number): void {
    const route = this.routeCells(endpoint, methodIndex(method));
    if (route.duration !== null) route.duration.observe((performance.now() - start) / 1000);
    let cells = route.byStatus.get(status);
    if (cells === undefined) cells = this.createStatusCells(route, endpoint, method, status);
    if (cells.requests !== null) cells.requests.value++;
    if (cells.errors !== null) cells.errors.value++;
    if (cells.status !== null) cells.status.value++;
  }

  private routeCells(endpoint: string, method: number): RouteCells {
    let byMethod = this.routes.get(endpoint);
    if (byMethod === undefined) {
      byMethod = new Array<RouteCells | undefined>(METHOD_LABELS.length).fill(undefined);
      this.routes.set(endpoint, byMethod);
    }
    let route = byMethod[method];
    if (route === undefined) {
      const labels = { method: METHOD_LABELS[method], endpoint };
      route = { duration: this.duration?.series(labels) ?? null, byStatus: new Map() };
      byMethod[method] = route;
    }
    return route;
  }

  private createStatusCells(route: RouteCells, endpoint: string, rawMethod: string, rawStatus: number): StatusCells {
    const status = boundedStatus(rawStatus);
    const method = METHOD_LABELS[methodIndex(rawMethod)];
    const code = String(status);
    let statusCell = this.statusCells.get(status);
    if (statusCell === undefined && this.statuses !== null) {
      statusCell = this.statuses.series({ status_code: code });
      this.statusCells.set(status, statusCell);
    }
    const cells: StatusCells = {
      requests: this.requests?.series({ method, endpoint, status_code: code }) ?? null,
      errors: status >= 400 ? (this.errors?.series({ method, endpoint, status_class: statusClass(status) }) ?? null) : null,
      status: statusCell ?? null,
    };
    route.byStatus.set(rawStatus, cells);
    return cells;
  }
}

/** The status Koa will answer for an error that escaped every layer. */
function errorStatus(error: unknown): number {
  const { status, statusCode } = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; statusCode?: unknown };
  const given = status ?? statusCode;
  return typeof given === 'number' && given >= 400 && given < 600 ? given : 500;
}
