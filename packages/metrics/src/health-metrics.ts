/**
 * The per-check half of the `health` group: each health check's last status and latency, from
 * core's `health.check` events (emitted by @m8/health each time a check actually runs, so cached
 * answers do not repeat them).
 *
 * `<p>health_check_status{check,status}` is an enum-style gauge: 1 for the check's current status,
 * 0 for the three others, so `health_check_status{status="fail"} == 1` is a ready-made alert.
 */
import type { AppEvents } from '@m8/core';
import { Gauge, type Registry } from 'prom-client';

export const HEALTH_STATUSES = ['ok', 'degraded', 'fail', 'unknown'] as const;

/**
 * Check names come from the service's configuration, so they are few; this cap is a second fence
 * in case a producer ever puts something unbounded in the name.
 */
export const MAX_HEALTH_CHECKS = 64;

export interface HealthMetricsOptions {
  readonly registry: Registry;
  readonly prefix: string;
  readonly events: AppEvents;
}

/** Registers the per-check gauges and subscribes to `health.check`; returns the unsubscribe function. */
export function observeHealthChecks(options: HealthMetricsOptions): () => void {
  const { registry, prefix, events } = options;
  const status = new Gauge({
    name: `${prefix}health_check_status`,
    help: 'Last status of each health check: 1 for the current status (ok | degraded | fail | unknown), 0 otherwise',
    labelNames: ['check', 'status'],
    registers: [registry],
  });
  const latency = new Gauge({
    name: `${prefix}health_check_latency_seconds`,
    help: 'Latency of the last run of each health check in seconds',
    labelNames: ['check'],
    registers: [registry],
  });
  const seen = new Set<string>();

  return events.on('health.check', (event) => {
    if (!seen.has(event.name)) {
      if (seen.size >= MAX_HEALTH_CHECKS) return;
      seen.add(event.name);
    }
    const current = (HEALTH_STATUSES as readonly string[]).includes(event.status) ? event.status : 'unknown';
    for (const value of HEALTH_STATUSES) status.set({ check: event.name, status: value }, value === current ? 1 : 0);
    if (Number.isFinite(event.latencyMs) && event.latencyMs >= 0) latency.set({ check: event.name }, event.latencyMs / 1000);
  });
}
