import { describe, expect, it } from 'vitest';
import { Counter, Histogram, Registry } from 'prom-client';
import { FastCounter, FastHistogram } from '../src/fast-metrics';
import { HTTP_DURATION_BUCKETS } from '../src/labels';
import { parseExposition, valueOf } from './support/exposition';

const OBSERVATIONS = [0, 0.001, 0.005, 0.0051, 0.02, 0.3, 0.3, 1, 7.5, 10, 11, 120];

describe('FastHistogram', () => {
  it('exposes exactly what a prom-client Histogram exposes for the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new FastHistogram('d_seconds', 'help', ['method', 'endpoint'], HTTP_DURATION_BUCKETS).registerIn(ours);
    const reference = new Histogram({ name: 'd_seconds', help: 'help', labelNames: ['method', 'endpoint'], buckets: [...HTTP_DURATION_BUCKETS], registers: [theirs] });
    for (const [index, value] of OBSERVATIONS.entries()) {
      const labels = { method: index % 2 ? 'GET' : 'POST', endpoint: '/api/x/:id' };
      fast.series(labels).observe(value);
      reference.observe(labels, value);
    }
    expect(parseExposition(await ours.metrics())).toEqual(parseExposition(await theirs.metrics()));
  });

  it('counts a value equal to a bound in that bucket (le is inclusive) and beyond the last in +Inf', async () => {
    const registry = new Registry();
    const cell = new FastHistogram('h', 'help', [], [0.1, 1]).registerIn(registry).series();
    cell.observe(0.1);
    cell.observe(5);
    const exposition = parseExposition(await registry.metrics());
    expect(valueOf(exposition, 'h_bucket', { le: '0.1' })).toBe(1);
    expect(valueOf(exposition, 'h_bucket', { le: '1' })).toBe(1);
    expect(valueOf(exposition, 'h_bucket', { le: '+Inf' })).toBe(2);
    expect(valueOf(exposition, 'h_sum')).toBeCloseTo(5.1);
    expect(valueOf(exposition, 'h_count')).toBe(2);
  });

  it('refuses the reserved label name le', () => {
    expect(() => new FastHistogram('h', 'help', ['le'], [1])).toThrow(/reserved/);
  });
});

describe('FastCounter', () => {
  it('exposes exactly what a prom-client Counter exposes, label escaping included', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new FastCounter('c_total', 'help', ['endpoint']).registerIn(ours);
    const reference = new Counter({ name: 'c_total', help: 'help', labelNames: ['endpoint'], registers: [theirs] });
    for (const endpoint of ['/a', '/b/:id', 'quote " back \\ slash', '/a']) {
      fast.series({ endpoint }).value++;
      reference.inc({ endpoint });
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('hands out one cell per label combination, whatever the key order', () => {
    const counter = new FastCounter('c_total', 'help', ['a', 'b']);
    expect(counter.series({ a: '1', b: '2' })).toBe(counter.series({ b: '2', a: '1' }));
    expect(counter.series({ a: '1', b: '3' })).not.toBe(counter.series({ a: '1', b: '2' }));
    expect(counter.size).toBe(2);
  });

  it('stops exporting every series after reset() (registry.resetMetrics())', async () => {
    const registry = new Registry();
    new FastCounter('c_total', 'help', []).registerIn(registry).series().value += 3;
    registry.resetMetrics();
    expect(parseExposition(await registry.metrics()).samples).toEqual([]);
  });
});
