/** The README's example runs as written (READMEs are executable, see test/docs.test.ts). */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('README example runs and its assertions hold', async () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toMatch(/^import /);
  const runner = code!.slice(0, code!.lastIndexOf('main().catch(')) + 'export { main };\n';
  expect(runner).toContain('async function main');
  const file = join(__dirname, `readme-example.${process.pid}.generated.ts`);
  writeFileSync(file, runner);
  try {
    const example = (await import(file)) as { main: () => Promise<void> };
    await example.main();
  } finally {
    rmSync(file, { force: true });
  }
});
