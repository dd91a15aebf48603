/** @m8/testing — test a service in a few lines: settings, tokens, a JWKS endpoint, a fake issuer, an app. */
export { createTestSettings, TEST_DEFAULTS, TEST_SECRET_KEY } from './test-settings';
export { startTestApp } from './test-app';
export type { TestApp, TestAppOptions } from './test-app';
export { TokenFactory, TestingUsageError } from './tokens';
export type { TestTokenAlgorithm, AccessTokenClaims, ClaimOverrides, MintOptions, TokenFactoryOptions, PublicJwk } from './tokens';
export { startJwksServer } from './jwks-server';
export type { JwksServer, JwksServerMode, JwksServerOptions } from './jwks-server';
export { startFakeIssuer, IssuerAnswers } from './fake-issuer';
export type { FakeIssuer, FakeIssuerOptions, IssuerAnswer, IssuerRequest } from './fake-issuer';
