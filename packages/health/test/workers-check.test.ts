import type { ClusterMember } from '@m8/core';
import { describe, expect, it } from 'vitest';
import { workersCheck } from '../src/workers-check';

function member(expected: number, ready: number): ClusterMember {
  return { workers: () => ({ expected, ready }), gather: async () => [], answer: () => undefined };
}

describe('workers check (WORKERS > 1)', () => {
  it('is ok when every worker is ready', async () => {
    const result = await workersCheck(member(2, 2)).check({ signal: new AbortController().signal });
    expect(result).toMatchObject({ status: 'ok', error: null, meta: { expected: 2, ready: 2 } });
  });

  it('is degraded, with the counts, while a worker is missing', async () => {
    const result = await workersCheck(member(4, 3)).check({ signal: new AbortController().signal });
    expect(result).toMatchObject({ status: 'degraded', error: '3 of 4 workers ready', meta: { expected: 4, ready: 3 } });
  });
});
