/**
 * Runs the checks: concurrently, each under its time limit, results cached for `cacheTtl`, and one
 * run at a time however many probes arrive (single-flight). A load balancer polling every second
 * from ten nodes therefore costs the database one query per `cacheTtl`, not ten per second.
 */
import type { HealthCheck, HealthCheckContext } from './check';
import { HealthCheckTimeoutError } from './errors';
import { HealthCheckResult, normaliseResult } from './result';
import { HealthSnapshot, type CheckReport } from './report';
import { errorMessage, redactMeta, scrubMessage } from './scrub';
import { overallStatus, type HealthPolicy } from './status';

export interface HealthRunnerOptions {
  readonly checks: readonly HealthCheck[];
  /** Per-check time limit, ms. */
  readonly timeoutMs: number;
  readonly policy: HealthPolicy;
  /** How long a snapshot is reused, ms (from the end of its run). 0 = never. */
  readonly cacheTtlMs: number;
  /** Called once per check per run (the `health.check` event). */
  readonly onCheck?: (report: CheckReport) => void;
}

export class HealthRunner {
  private cached: HealthSnapshot | undefined;
  private expiresAt = 0;
  private inflight: Promise<HealthSnapshot> | undefined;
  private readonly timeoutError: string;

  constructor(private readonly options: HealthRunnerOptions) {
    this.timeoutError = `timeout ${options.timeoutMs}ms`;
  }

  /**
   * The fresh snapshot, synchronously when cached (no promise allocated on the hot path), else the
   * shared in-flight run. Never rejects: every failure is a `fail` line in the snapshot.
   */
  current(): HealthSnapshot | Promise<HealthSnapshot> {
    const cached = this.cached;
    if (cached !== undefined && performance.now() < this.expiresAt) return cached;
    return (this.inflight ??= this.refresh());
  }

  private async refresh(): Promise<HealthSnapshot> {
    try {
      const reports = await Promise.all(this.options.checks.map((check) => this.runOne(check)));
      const completedAt = performance.now();
      const snapshot = new HealthSnapshot(
        overallStatus(
          reports.map((r) => r.status),
          this.options.policy,
        ),
        reports,
        completedAt,
      );
      this.cached = snapshot;
      this.expiresAt = completedAt + this.options.cacheTtlMs;
      return snapshot;
    } finally {
      this.inflight = undefined;
    }
  }

  private async runOne(check: HealthCheck): Promise<CheckReport> {
    const started = performance.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<HealthCheckResult>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new HealthCheckTimeoutError(this.timeoutError));
        resolve(new HealthCheckResult('fail', this.timeoutError));
      }, this.options.timeoutMs);
      // A hanging check must not keep a process that wants to exit alive.
      timer.unref();
    });
    let result: HealthCheckResult;
    try {
      // race() subscribes to both, so a check that rejects after its timeout is not "unhandled".
      result = await Promise.race([invoke(check, { signal: controller.signal }), timedOut]);
    } catch (thrown) {
      result = new HealthCheckResult('fail', errorMessage(thrown));
    } finally {
      clearTimeout(timer);
    }
    const report: CheckReport = {
      name: check.name,
      status: result.status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      error: result.error === null ? null : scrubMessage(result.error),
      meta: redactMeta(result.meta),
      ok: result.ok,
    };
    try {
      this.options.onCheck?.(report);
    } catch {
      /* telemetry must never change the answer */
    }
    return report;
  }
}

/** `async` so that a check throwing synchronously becomes a rejection, like an async one. */
async function invoke(check: HealthCheck, context: HealthCheckContext): Promise<HealthCheckResult> {
  return normaliseResult(await check.check(context));
}
