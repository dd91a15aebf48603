import { ConsumerServiceSettings } from '@m8/core';

/** The HS256 key `createTestSettings` configures (and the token factory signs with by default). */
export const TEST_SECRET_KEY = 'm8-test-secret-key-0123456789abcdef-not-for-production';

/** Hermetic defaults: no `.env`, no process environment, quiet logs, stateless HS256, in-memory SQLite. */
export const TEST_DEFAULTS = Object.freeze({
  PROJECT_NAME: 'test-service',
  ENVIRONMENT: 'local',
  ACCESS_TOKEN_ALGORITHM: 'HS256',
  ACCESS_SECRET_KEY: TEST_SECRET_KEY,
  TOKEN_MODE: 'stateless',
  AUTH_SERVICE_ROLE: 'consumer',
  LOG_LEVEL: 'silent',
  SELECTED_DB: 'Sqlite',
  DB_DATABASE: ':memory:',
  PORT: 0,
  HOST: '127.0.0.1',
}) satisfies Record<string, unknown>;

/**
 * Settings for tests without a `.env`: the defaults above, then your overrides. Pass your own
 * settings subclass as the second argument.
 */
export function createTestSettings<T extends ConsumerServiceSettings = ConsumerServiceSettings>(
  overrides: Record<string, unknown> = {},
  settingsClass: new () => T = ConsumerServiceSettings as unknown as new () => T,
): T {
  const load = (ConsumerServiceSettings.load as (this: new () => T, options: object) => T).bind(settingsClass);
  return load({ values: { ...TEST_DEFAULTS, ...overrides }, env: {}, envFile: false });
}
