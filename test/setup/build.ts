/**
 * Global setup (vitest.config.mts): `tsc -b` before any test, so the tests that run the compiled output (the
 * example as `npm start` runs it, the m8-prestart bin, core loading a plugin package by itself) never run a
 * stale dist/. Incremental: a build that is up to date costs a second or two.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function buildTheWorkspace(): void {
  const root = join(__dirname, '..', '..');
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc -b failed, so the tests of the built output cannot run:\n${output.stdout ?? ''}${output.stderr ?? ''}`);
  }
}
