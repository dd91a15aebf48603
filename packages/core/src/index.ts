/**
 * @m8/core — typed settings, DI, lifecycle and `bootstrap()` for Koa + routing-controllers services.
 * Feature packages (@m8/auth, @m8/db, @m8/health, @m8/metrics) plug in through the interfaces of `plugin.ts`.
 */
import 'reflect-metadata';

export { bootstrap } from './bootstrap';
export type { BootstrapOptions, LifecycleOptions } from './bootstrap';
export { M8App } from './app';
export type { ListenOptions, Listening } from './app';
export type { ControllerClass, RoutingMode } from './controllers';
export type { RequestValidation } from './routing/dto-input';
export type { Executor, RouteInfo } from './routing/route-table';

export { ConsumerServiceSettings, ENVIRONMENTS, TOKEN_MODES, SERVICE_ROLES, ALGORITHMS, FAILURE_MODES, DATABASES, METRICS_GROUPS, LOG_LEVELS } from './settings/consumer-settings';
export type { Environment, TokenMode, ServiceRole, TokenAlgorithm, RevocationFailureMode, SelectedDb, MetricsGroup, LogLevel } from './settings/consumer-settings';
export { loadSettings } from './settings/load-settings';
export type { LoadSettingsOptions } from './settings/load-settings';
export { SettingsError } from './settings/settings-error';
export { ProblemsError } from './problems-error';
export type { SettingsProblem } from './settings/settings-error';
export { EnvBool, EnvInt, EnvNumber, EnvList, EmptyAsUnset, Secret, secretFields } from './settings/env-types';
export { redactedView, REDACTED } from './settings/redact';
export { databaseProblems, deriveDatabaseUrl, DEFAULT_DB_PORTS, DEFAULT_SQLITE_FILE } from './settings/database-url';
export { publicKeyFileProblem } from './settings/cross-field-rules';

export { M8Error } from './m8-error';
export { HttpProblem, RequestValidationProblem } from './errors';
export type { ValidationIssue } from './errors';
export { AppEvents } from './events';
export type { M8EventMap, M8EventName, AuthFailureReason, RevocationResult } from './events';
export type { AppContext, M8Plugin, AuthProvider, DbProvider, HealthProvider, Extra, StartupValidator, InternalRoute, MiddlewareStage, M8Context, M8State } from './plugin';
export type { LifecycleState } from './lifecycle/state';
export { StartupError } from './lifecycle/lifecycle';

export { SETTINGS, LOGGER, APP_EVENTS, KOA_CONTEXT, REQUEST_ID } from './di/tokens';
export { createLogger } from './logger';
export type { Logger, LoggerOptions } from './logger';
export { routeTemplate, UNMATCHED_ROUTE } from './http/route-template';
export { CORS_METHODS, CORS_HEADERS } from './http/cors';
export { safeEqual } from './util/safe-equal';
export { loadOptional, MissingPackageError } from './util/load-optional';
export { VERSION, CAPABILITIES, M8_PACKAGES, installedM8Packages, checkCompatibility, compatibleRange, CompatibilityError } from './compat';
