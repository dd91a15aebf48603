/**
 * `/metrics` for a `WORKERS` > 1 service: each worker keeps its own registry; a scrape reaches one
 * worker, which gathers every worker's metrics as JSON through the cluster primary and merges them
 * with prom-client's `AggregatorRegistry.aggregate` (counters and histograms summed, gauges by the
 * metric's own `aggregator` setting). prom-client's own cluster mode is not used: it works on its
 * global registry, and m8 keeps one registry per app.
 */
import type { ClusterMember } from '@m8/core';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';

/** The topic workers answer with their registry's metrics as JSON. */
export const METRICS_TOPIC = 'metrics';

type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

/** Makes this worker answer gathers with `registry`, and returns the exposition of every worker's metrics. */
export function clusterExposition(registry: Registry, member: ClusterMember): () => Promise<string> {
  member.answer(METRICS_TOPIC, () => registry.getMetricsAsJSON());
  return async () => {
    const perWorker = (await member.gather(METRICS_TOPIC)) as WorkerMetrics[];
    return AggregatorRegistry.aggregate(perWorker).metrics();
  };
}
