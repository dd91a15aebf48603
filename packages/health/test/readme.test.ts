/**
 * Keeps the README true: its first `ts` block is run as written and its printed answers checked.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const dir = join(__dirname, '.generated');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README', () => {
  it('runs its example and prints what the comments say', async () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toMatch(/^import /);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), '*\n');
    const file = join(dir, `readme-example-${process.pid}.ts`);
    writeFileSync(file, example!);

    const lines: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args));
    const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(['error', ...args]));
    try {
      await import(file);
      await vi.waitFor(() => expect(lines.at(-1)?.[0]).toMatch(/^(closed|error)$/), { timeout: 5000, interval: 20 });
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    expect(lines).toEqual([
      ['ping', 200, { status: 'ok' }],
      ['anonymous', 200, { status: 'degraded' }],
      ['detail', 200, ['cache ok', 'queue ok', 'self degraded'], { depth: 12, brokerPassword: 'REDACTED' }],
      ['closed'],
    ]);
  });
});
