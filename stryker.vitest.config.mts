/**
 * The tests StrykerJS runs against each mutant (stryker.config.mjs): those of the modules it mutates, nothing
 * that needs a database server, a browser or a build. Same aliases and setup files as vitest.config.mts, written
 * out rather than merged (vitest's mergeConfig concatenates lists, which would bring every test back).
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

export default defineConfig({
  resolve: base.resolve,
  test: {
    setupFiles: ['reflect-metadata', './test/setup/every-test-asserts.ts'],
    include: ['packages/auth/test/**/*.test.ts', 'packages/core/test/http-behaviour.test.ts', 'packages/core/test/routing.test.ts'],
    exclude: ['packages/auth/test/readme.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
