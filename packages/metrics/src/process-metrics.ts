/**
 * Process metrics (prom-client's defaults: CPU, memory, heap, event-loop lag, GC, handles...).
 *
 * They describe the process, not an app, and prom-client starts a GC observer and an event-loop
 * delay monitor for each `collectDefaultMetrics()` call that it never stops. So they are collected
 * once per process into a private registry, and the same metric objects are then registered in
 * each app's own registry: every app exposes them, a hundred apps in one test process start one
 * observer, and no app ever touches prom-client's global registry.
 */
import { Registry, collectDefaultMetrics, type Metric } from 'prom-client';

let shared: readonly Metric[] | undefined;

function processMetrics(): readonly Metric[] {
  if (shared === undefined) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    shared = registry.getMetricsAsArray() as unknown as readonly Metric[];
  }
  return shared;
}

/** Adds the process metrics to an app's registry. */
export function registerProcessMetrics(registry: Registry): void {
  for (const metric of processMetrics()) registry.registerMetric(metric);
}
