/**
 * Every test file, example and `*.test-d.ts` type test must compile under strict TypeScript
 * (vitest only strips types). `@ts-expect-error` lines in the type tests fail here when misuse
 * starts compiling.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(__dirname, '..');

it('type-checks the tests, the examples and the type tests', () => {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.tests.json')], { encoding: 'utf8' });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
}, 180_000);
