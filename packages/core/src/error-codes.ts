/**
 * Every code @m8/core's errors carry (the table in packages/core/README.md says what to do about
 * each). `HttpProblem`s thrown by services may carry codes of their own.
 */
export type CoreErrorCode =
  | 'ERR_M8'
  | 'ERR_M8_HTTP'
  | 'ERR_M8_VALIDATION'
  | 'ERR_M8_SETTINGS'
  | 'ERR_M8_STARTUP'
  | 'ERR_M8_TEARDOWN_TIMEOUT'
  | 'ERR_M8_STARTUP_TIMEOUT'
  | 'ERR_M8_SHUTDOWN_TIMEOUT'
  | 'ERR_M8_ALREADY_LISTENING'
  | 'ERR_M8_APP_SEALED'
  | 'ERR_M8_AUTH_PROVIDER_CONFLICT'
  | 'ERR_M8_AUTH_PLUGIN_REQUIRED'
  | 'ERR_M8_DUPLICATE_PLUGIN'
  | 'ERR_M8_MISSING_PLUGIN'
  | 'ERR_M8_DUPLICATE_ROUTE'
  | 'ERR_M8_ROUTING_SETUP'
  | 'ERR_M8_INCOMPATIBLE_PACKAGES'
  | 'ERR_M8_DUPLICATE_PACKAGE'
  | 'ERR_M8_PACKAGE_JSON_NOT_FOUND'
  | 'ERR_M8_NO_APP'
  | 'ERR_M8_AMBIGUOUS_APP'
  | 'ERR_M8_NOT_PROVIDED'
  | 'ERR_M8_INVARIANT'
  | 'ERR_M8_CLUSTER_GATHER';
