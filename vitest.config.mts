import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the sources, never a stale dist/.
    alias: [
      { find: /^@m8\/core\/internal$/, replacement: fileURLToPath(new URL('./packages/core/src/internal.ts', import.meta.url)) },
      ...Object.entries({
      '@m8/core': pkg('core'),
      '@m8/auth': pkg('auth'),
      '@m8/health': pkg('health'),
      '@m8/db': pkg('db'),
      '@m8/metrics': pkg('metrics'),
      '@m8/testing': pkg('testing'),
      '@m8/openapi': pkg('openapi'),
      }).map(([name, replacement]) => ({ find: new RegExp(`^${name}$`), replacement })),
    ],
  },
  test: {
    setupFiles: ['reflect-metadata', './test/setup/every-test-asserts.ts'],
    globalSetup: ['./test/setup/build.ts', './test/setup/databases.ts'],
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Type-level tests (`*.test-d.ts`) are checked by tsc inside every run, filtered runs included.
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.tests.json',
      // The whole project's type errors are test/typecheck.test.ts's to report; here only the type tests count.
      ignoreSourceErrors: true,
    },
    reporters: ['default'],
  },
});
