/**
 * The tests StrykerJS runs against each mutant (stryker.config.mjs): the unit-level tests of the modules it
 * mutates, which start no app (the HTTP-level auth suites would make a run take hours on a loaded machine; they
 * run in `npm test`). A mutant only they would kill counts as survived here. Same aliases and setup files as
 * vitest.config.mts, written out rather than merged (vitest's mergeConfig concatenates lists, bringing every
 * test back).
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

export default defineConfig({
  resolve: base.resolve,
  test: {
    setupFiles: ['reflect-metadata', './test/setup/every-test-asserts.ts'],
    include: [
      'packages/auth/test/token-boundaries.test.ts',
      'packages/auth/test/token-verifier.test.ts',
      'packages/auth/test/roles.test.ts',
      'packages/auth/test/errors.test.ts',
      'packages/auth/test/authenticator.test.ts',
      'packages/auth/test/revocation-client.test.ts',
      'packages/core/test/http-behaviour.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Stryker switches mutants on in code it instrumented once: no need for a fresh module graph per file,
    // which would cost seconds per mutant here.
    pool: 'threads',
    isolate: false,
  },
});
