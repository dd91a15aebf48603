/** @m8/testing — test a service in a few lines: settings, tokens, a JWKS endpoint, a fake issuer, an app. */
export { createTestSettings, TEST_DEFAULTS, TEST_SECRET_KEY } from './test-settings';
export { startTestApp } from './test-app';
export type { TestApp, TestAppOptions } from './test-app';
