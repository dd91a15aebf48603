/**
 * The outcome of one run of every check, with its JSON bodies rendered once: a probe served from
 * the cache costs no serialisation at all.
 */
import { httpStatusOf, type HealthStatus } from './status';

/** One check's line in the detail body (`latency_ms` etc. on the wire). */
export interface CheckReport {
  readonly name: string;
  readonly status: HealthStatus;
  /** Wall time of the run, in milliseconds (two decimals). */
  readonly latencyMs: number;
  /** Scrubbed reason, or null when the check had none. */
  readonly error: string | null;
  /** Redacted `meta`. */
  readonly meta: Readonly<Record<string, unknown>>;
  /** True for `ok` and `degraded`. */
  readonly ok: boolean;
}

/** Anonymous bodies are four constants. */
const ANONYMOUS: Readonly<Record<HealthStatus, string>> = {
  ok: '{"status":"ok"}',
  degraded: '{"status":"degraded"}',
  fail: '{"status":"fail"}',
  unknown: '{"status":"unknown"}',
};

/** Every check's report and the overall status, as of `completedAt`. */
export class HealthSnapshot {
  /** 200, or 503 when `status` is `fail`. */
  readonly httpStatus: 200 | 503;
  /** `{"status": overall}`. */
  readonly anonymousBody: string;
  private detail: string | undefined;

  constructor(
    readonly status: HealthStatus,
    readonly checks: readonly CheckReport[],
    /** `performance.now()` when the run finished. */
    readonly completedAt: number,
  ) {
    this.httpStatus = httpStatusOf(status);
    this.anonymousBody = ANONYMOUS[status];
  }

  /**
   * `{"status", "checks": [...], ...tail}`: `tail` is the JSON of the fields that never change
   * (service, version, framework versions) without its braces, rendered once by the caller.
   */
  detailBody(tail: string): string {
    if (this.detail === undefined) {
      const checks = this.checks.map((c) => ({
        name: c.name,
        status: c.status,
        latency_ms: c.latencyMs,
        error: c.error,
        meta: c.meta,
        ok: c.ok,
      }));
      const head = JSON.stringify({ status: this.status, checks }).slice(0, -1);
      this.detail = tail === '' ? `${head}}` : `${head},${tail}}`;
    }
    return this.detail;
  }
}
