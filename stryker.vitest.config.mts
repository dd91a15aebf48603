/**
 * The tests StrykerJS runs against each mutant (stryker.config.mjs): those of the modules it mutates, nothing
 * that needs a database server, a browser or a build. Same aliases and setup files as vitest.config.mts.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.mts';

export default mergeConfig(base, defineConfig({
  test: {
    include: ['packages/auth/test/**/*.test.ts', 'packages/core/test/http-behaviour.test.ts', 'packages/core/test/routing.test.ts'],
    exclude: ['packages/auth/test/readme.test.ts'],
    globalSetup: [],
    typecheck: { enabled: false },
  },
}));
