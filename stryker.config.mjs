// @ts-check
/**
 * Mutation testing of the security-critical modules (`npm run mutation`, TESTING.md): token parsing and claims,
 * HS256 verification, the verification cache, roles, the revocation client, the auth errors, CORS and the
 * error layer. StrykerJS 9 (10 needs Node 22) with the vitest runner, on stryker.vitest.config.mts.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'stryker.vitest.config.mts', related: false },
  mutate: [
    'packages/auth/src/claims.ts',
    'packages/auth/src/compact-jws.ts',
    'packages/auth/src/hs256-verifier.ts',
    'packages/auth/src/verification-cache.ts',
    'packages/auth/src/token-verifier.ts',
    'packages/auth/src/roles.ts',
    'packages/auth/src/revocation-client.ts',
    'packages/auth/src/errors.ts',
    'packages/auth/src/authenticator.ts',
    'packages/core/src/http/cors.ts',
    'packages/core/src/http/error-layer.ts',
  ],
  coverageAnalysis: 'perTest',
  ignoreStatic: true,
  // A loaded two-core machine: two test processes, generous timeouts.
  concurrency: 2,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: 75 },
};
