/**
 * The packaging test needs the npm registry: when it is unreachable it must say so and skip on a
 * laptop, and fail under CI=true (a CI that silently skips it would prove nothing).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from './support/ports';

const root = join(__dirname, '..');

/** Runs the packaging test file alone with the given registry and CI flag. */
function runPackagingTest(registry: string, ci: boolean): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_registry: registry };
  delete env.CI;
  delete env.VITEST;
  if (ci) env.CI = 'true';
  const child = spawn(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/packaging.test.ts'], { cwd: root, env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // Without vitest's colours, so the summary line can be matched.
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output: output.replace(/\x1b\[[0-9;]*m/g, '') })));
}

describe('the packaging test without a registry', () => {
  it('says why and skips outside CI', async () => {
    const registry = `http://127.0.0.1:${await freePort()}/`;
    const { code, output } = await runPackagingTest(registry, false);
    expect(output).toContain(`packaging test: the npm registry is needed to install the tarballs' dependencies, and ${registry} is unreachable`);
    expect(output).toContain('SKIPPED');
    expect(output).toMatch(/Tests\W+\d+ skipped/); // every test skipped: none passed, none failed
    expect(code).toBe(0);
  }, 60_000);

  it('fails under CI=true', async () => {
    const registry = `http://127.0.0.1:${await freePort()}/`;
    const { code, output } = await runPackagingTest(registry, true);
    expect(output).toContain(`${registry} is unreachable`);
    expect(output).toContain('(CI=true: failing instead of skipping)');
    expect(code).toBe(1);
  }, 60_000);
});
