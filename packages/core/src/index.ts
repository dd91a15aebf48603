/**
 * @m8/core — typed settings, DI, lifecycle and `bootstrap()` for Koa + routing-controllers services.
 * Features (@m8/db, @m8/auth, @m8/health, @m8/metrics, @m8/openapi) are plugins listed in
 * `bootstrap()`'s `plugins`. What the m8 packages share among themselves is on `@m8/core/internal`.
 */
import 'reflect-metadata';

export { bootstrap, DuplicatePluginError, MissingPluginError } from './bootstrap';
export type { BootstrapOptions } from './bootstrap';
export { M8App, AlreadyListeningError } from './app';
export type { ListenOptions, Listening } from './app';
export { AuthPluginRequiredError } from './controllers';
export type { ControllerClass, RoutingMode } from './controllers';
export type { AppContext, M8Plugin, PackageInfo, AuthProvider, Extra, StartupValidator, InternalRoute, MiddlewareStage, M8Context, M8State } from './plugin';
export { AppSealedError, AuthProviderConflictError } from './app-context';
export type { LifecycleState } from './lifecycle/state';
export { StartupError, TeardownTimeoutError } from './lifecycle/lifecycle';
export type { RequestValidation } from './routing/dto-input';
export type { Executor, RouteInfo } from './routing/route-table';
export { RoutingSetupError } from './routing/routing-errors';

export { ConsumerServiceSettings, ENVIRONMENTS, TOKEN_MODES, SERVICE_ROLES, ALGORITHMS, FAILURE_MODES, DATABASES, METRICS_GROUPS, LOG_LEVELS, LOG_FORMATS } from './settings/consumer-settings';
export type { Environment, TokenMode, ServiceRole, TokenAlgorithm, RevocationFailureMode, SelectedDb, MetricsGroup, LogLevel, LogFormat, ClientIdentityMode } from './settings/consumer-settings';
export { loadSettings } from './settings/load-settings';
export type { LoadSettingsOptions } from './settings/load-settings';
export { SettingsError } from './settings/settings-error';
export type { SettingsProblem } from './settings/settings-error';
export { EnvBool, EnvInt, EnvNumber, EnvList, EmptyAsUnset, Secret } from './settings/env-types';
export { redactedView } from './settings/redact';

export { M8Error, InvariantError } from './m8-error';
export { DuplicateRouteError } from './http/internal-routes';
export type { CoreErrorCode } from './error-codes';
export { ProblemsError } from './problems-error';
export { HttpProblem, RequestValidationProblem } from './errors';
export type { ValidationIssue } from './errors';
export { NoAppError, AmbiguousAppError, NotProvidedError } from './di/app-scope';
export { CompatibilityError, VERSION } from './compat';
export { DuplicatePackageError, SHARED_PEERS } from './singletons';
export type { DuplicateCopy, SharedPeer } from './singletons';
export { PackageJsonNotFoundError } from './util/package-info';

export { AppEvents } from './events';
export type { M8EventMap, M8EventName, AuthFailureReason, RevocationResult, ServiceTokenExchangeResult } from './events';
export { ShutdownTimeoutError, StartupTimeoutError, SHUTDOWN_TIMEOUT_EXIT_CODE } from './lifecycle/lifecycle-errors';
export type { StillOpen } from './lifecycle/lifecycle-errors';
export type { OpenRequest } from './lifecycle/connection-drain';

export { SETTINGS, LOGGER, APP_EVENTS, KOA_CONTEXT, REQUEST_ID, CLUSTER_MEMBER } from './di/tokens';
export { serve } from './cluster/serve';
export type { Served } from './cluster/serve';
export { ClusterPrimary } from './cluster/primary';
export type { ClusterPrimaryOptions, WorkerExit } from './cluster/primary';
export { ClusterGatherError } from './cluster/member';
export type { ClusterMember, WorkersView } from './cluster/member';
export { workerCount } from './cluster/worker-count';
export { createLogger, resolveLogFormat } from './logger';
export type { Logger, LoggerOptions } from './logger';
