/** Keeps the README true: its runnable example (`<!-- doc-test: run -->`) runs as written. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const dir = join(__dirname, '.generated');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README', () => {
  it('runs its example, which asserts what its comments say', async () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const example = /<!--\s*doc-test:\s*run\s*-->\s*\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toMatch(/void main\(\);\s*$/);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), '*\n');
    const file = join(dir, `readme-example-${process.pid}.ts`);
    writeFileSync(file, example!.replace(/^void main\(\);\s*$/m, 'export { main };'));
    const lines: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args));
    try {
      const module = (await import(file)) as { main: () => Promise<void> };
      await module.main();
    } finally {
      log.mockRestore();
    }
    expect(lines).toEqual([
      [{ title: 'Items', version: '1.0.0', description: 'Things for sale.' }],
      [[{ OAuth2PasswordBearer: [] }, { HTTPBearer: [] }]],
      [[200, 200]],
    ]);
  });
});
