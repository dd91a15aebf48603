/**
 * `ConsumerServiceSettings`: every variable of the m8 contract (docs/interop.md §5), typed, with its
 * default and rules. Subclass it to add your own fields with class-validator decorators:
 *
 * ```ts
 * class AppSettings extends ConsumerServiceSettings {
 *   @IsString() GREETING = 'hello';
 * }
 * const settings = AppSettings.load();
 * ```
 */
import { IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { EmptyAsUnset, EnvBool, EnvInt, EnvList, Secret } from './env-types';
import { checkCrossFieldRules } from './cross-field-rules';
import { deriveAllowedOrigins } from './origins';
import { deriveDatabaseUrl } from './database-url';
import { loadSettings, setFieldsOf, type LoadSettingsOptions } from './load-settings';
import type { SettingsProblem } from './settings-error';
import { redactedView } from './redact';

export const ENVIRONMENTS = ['local', 'development', 'staging', 'production'] as const;
export const TOKEN_MODES = ['stateless', 'hybrid', 'stateful'] as const;
export const SERVICE_ROLES = ['issuer', 'consumer'] as const;
export const ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export const FAILURE_MODES = ['fail_closed', 'fail_open'] as const;
export const DATABASES = ['Mysql', 'Postgres', 'Sqlite'] as const;
export const METRICS_GROUPS = ['traffic', 'performance', 'reliability', 'health', 'auth'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

export type Environment = (typeof ENVIRONMENTS)[number];
export type TokenMode = (typeof TOKEN_MODES)[number];
export type ServiceRole = (typeof SERVICE_ROLES)[number];
export type TokenAlgorithm = (typeof ALGORITHMS)[number];
export type RevocationFailureMode = (typeof FAILURE_MODES)[number];
export type SelectedDb = (typeof DATABASES)[number];
export type MetricsGroup = (typeof METRICS_GROUPS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Seconds between SIGTERM and closing the listener when `SHUTDOWN_DELAY_SECONDS` is unset (not local). */
export const DEFAULT_SHUTDOWN_DELAY_SECONDS = 5;

/** A host name, `*.` followed by one (a wildcard over its subdomains), or `*` (any host). */
const HOST_PATTERN = /^\*$|^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** How this service identifies itself on private calls to the issuer (docs/interop.md §8). */
export type ClientIdentityMode = 'legacy' | 'bootstrap' | 'service_token';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

export class ConsumerServiceSettings {
  // ── Core ───────────────────────────────────────────────────────────────────────────
  /** Public domain of the stack. */
  @IsString() DOMAIN = 'localhost';
  @IsIn(ENVIRONMENTS) ENVIRONMENT: Environment = 'local';
  /** Human-readable service name (spaces allowed). Required. */
  @IsString() @MinLength(1) PROJECT_NAME!: string;
  @IsOptional() @IsString() STACK_NAME?: string;
  /** Prefix of every route the service owns: '' or '/segment' (a trailing '/' is dropped). */
  @Matches(/^(\/[A-Za-z0-9._~-]+)*\/?$/, { message: 'API_PREFIX must be empty or a path like /api' }) API_PREFIX = '/api';
  @Matches(/^(\/[A-Za-z0-9._~-]+)*\/?$/, { message: 'AUTH_PREFIX must be empty or a path like /auth' }) AUTH_PREFIX = '/auth';
  @IsUrl(URL_OPTIONS) BACKEND_HOST = 'http://localhost:8000';
  @IsUrl(URL_OPTIONS) FRONTEND_HOST = 'http://localhost:5173';
  /** Comma-separated or JSON array of `http(s)://host[:port]` origins. */
  @EnvList() @IsArray() @IsString({ each: true }) BACKEND_CORS_ORIGINS: string[] = [];
  /**
   * Trusted `Host` values, comma list; `*.example.com` matches any subdomain. Empty = no check.
   * Outside production `localhost` and `127.0.0.1` are always allowed.
   */
  @EnvList() @IsArray() @Matches(HOST_PATTERN, { each: true, message: 'ALLOWED_HOSTS entries must be host names, optionally starting with "*."' })
  ALLOWED_HOSTS: string[] = [];

  // ── Security headers and service metadata ───────────────────────────────────────────
  /** Master switch of the security headers (nosniff, DENY and the tiered ones). */
  @EnvBool() @IsBoolean() SECURITY_HEADERS_ENABLED = true;
  /** `Strict-Transport-Security` in every environment but `local`. */
  @EnvBool() @IsBoolean() SECURITY_HSTS_ENABLED = false;
  /** `Content-Security-Policy` in every environment but `local` (docs pages get one that lets them work). */
  @EnvBool() @IsBoolean() SECURITY_CSP_ENABLED = false;
  /** Version of this service; `GET {API_PREFIX}/meta` is mounted only when it is set. */
  @EmptyAsUnset() @IsOptional() @IsString() SERVICE_VERSION?: string;
  @IsString() @MinLength(1) API_VERSION = 'v1';
  /** Default `PROJECT_NAME`. */
  @EmptyAsUnset() @IsOptional() @IsString() CONTRACT_NAME?: string;
  @EmptyAsUnset() @IsOptional() @IsString() CONTRACT_VERSION?: string;
  /** The contract versions this service accepts, e.g. `>=1.2 <2`. */
  @EmptyAsUnset() @IsOptional() @IsString() CONTRACT_RANGE?: string;

  // ── HTTP server (m8 additions) ───────────────────────────────────────────────────────
  @EnvInt() @IsInt() @Min(0) @Max(65535) PORT = 8000;
  @IsString() HOST = '0.0.0.0';
  @IsIn(LOG_LEVELS) LOG_LEVEL: LogLevel = 'info';
  /** `json` or `pretty`; unset: `pretty` when ENVIRONMENT=local and stdout is a terminal, else `json`. */
  @EmptyAsUnset() @IsOptional() @IsIn(LOG_FORMATS) LOG_FORMAT?: LogFormat;
  /** Largest accepted JSON/form body, in bytes (413 beyond). Default 1 MiB. */
  @EnvInt() @IsInt() @Min(1) BODY_LIMIT_BYTES = 1024 * 1024;
  /** Deepest nesting of objects/arrays in a JSON or form body (413 beyond). Default 32, range 1–1000. */
  @EnvInt() @IsInt() @Min(1) @Max(1000) BODY_MAX_DEPTH = 32;
  /** Most object members plus array items in one body (413 beyond). Default 5000, range 1–1,000,000. */
  @EnvInt() @IsInt() @Min(1) @Max(1_000_000) BODY_MAX_FIELDS = 5000;
  /** Seconds a client gets to send a request's headers (408 beyond). Default 10, range 1–300; at most REQUEST_TIMEOUT_SECONDS. */
  @EnvInt() @IsInt() @Min(1) @Max(300) HEADERS_TIMEOUT_SECONDS = 10;
  /** Seconds a client gets to send a whole request, headers and body (408 beyond). Default 30, range 1–3600. */
  @EnvInt() @IsInt() @Min(1) @Max(3600) REQUEST_TIMEOUT_SECONDS = 30;
  /**
   * Seconds an idle keep-alive connection is kept open. Default 65, range 1–3600: longer than the
   * load balancer's idle timeout (60 s on AWS ALB and nginx), so the balancer, which sends the next
   * request, always closes first and never sends one on a connection being closed under it.
   */
  @EnvInt() @IsInt() @Min(1) @Max(3600) KEEP_ALIVE_TIMEOUT_SECONDS = 65;
  /**
   * After SIGTERM/close(): seconds the listener stays open (health 503 `shutting_down`, every
   * answer `Connection: close`) while Kubernetes endpoints and load balancers stop sending here.
   */
  @EnvInt() @IsOptional() @IsInt() @Min(0) @Max(300) SHUTDOWN_DELAY_SECONDS?: number;
  /** Seconds, after the delay, for in-flight requests to finish and teardown to run; then the rest is cut. */
  @EnvInt() @IsInt() @Min(0) @Max(600) SHUTDOWN_TIMEOUT_SECONDS = 10;
  /** Processes serving the port through node:cluster (`serve()`): 1–256, or `auto` = the cores available. */
  @Matches(/^(auto|[1-9]\d?|1\d\d|2[0-4]\d|25[0-6])$/, { message: 'WORKERS must be auto or an integer from 1 to 256' }) WORKERS = '1';
  /** Seconds each start-up validator and extra gets before the start fails naming it. */
  @EnvInt() @IsInt() @Min(1) @Max(3600) STARTUP_TIMEOUT_SECONDS = 30;

  // ── Tokens ─────────────────────────────────────────────────────────────────────────
  @IsIn(TOKEN_MODES) TOKEN_MODE: TokenMode = 'stateful';
  @IsIn(SERVICE_ROLES) AUTH_SERVICE_ROLE: ServiceRole = 'issuer';
  @IsIn(ALGORITHMS) ACCESS_TOKEN_ALGORITHM: TokenAlgorithm = 'HS256';
  /** HS256 key, at least 32 characters. */
  @Secret() @IsOptional() @IsString() @MinLength(32) ACCESS_SECRET_KEY?: string;
  /** Unused by a consumer; accepted so one `.env` can serve the whole stack. */
  @Secret() @IsOptional() @IsString() REFRESH_SECRET_KEY?: string;
  @IsOptional() @IsString() ACCESS_PUBLIC_KEY_FILE?: string;
  @EmptyAsUnset() @IsOptional() @IsUrl(URL_OPTIONS) JWKS_URI?: string;
  @EnvInt() @IsInt() @Min(0) JWKS_CACHE_TTL_SECONDS = 300;
  @EnvInt() @IsInt() @Min(1) ACCESS_TOKEN_EXPIRE_MINUTES = 30;
  @EnvInt() @IsInt() @Min(1) REFRESH_TOKEN_EXPIRE_MINUTES = 120;
  @EmptyAsUnset() @IsOptional() @IsString() TOKEN_ISSUER?: string;
  @EmptyAsUnset() @IsOptional() @IsString() TOKEN_AUDIENCE?: string;
  /** Later profile: iss/aud/iat/nbf required, leeway 2 s. */
  @EnvBool() @IsBoolean() TOKEN_STRICT_VALIDATION = false;
  /** 401 (RFC 6750, default) or 403 (the Python stack's legacy answer to an invalid token). */
  @EnvInt() @IsIn([401, 403]) INVALID_TOKEN_STATUS: 401 | 403 = 401;

  // ── Stateful consumer: revocation ─────────────────────────────────────────────────────
  @EmptyAsUnset() @IsOptional() @IsUrl(URL_OPTIONS) INTROSPECTION_URL?: string;
  @Secret() @IsOptional() @IsString() PRIVATE_API_SECRET?: string;
  @IsIn(FAILURE_MODES) ACCESS_REVOCATION_FAILURE_MODE: RevocationFailureMode = 'fail_closed';
  /** Seconds an `active: true` answer is reused (never past the token's `exp`); 0 = off. */
  @EnvInt() @IsInt() @Min(0) @Max(3600) REVOCATION_CACHE_TTL_SECONDS = 0;
  /** jti-status request shape: '1' (`{jti}`) or '2' (with `expected_user_id`). */
  @IsIn(['1', '2']) REVOCATION_SCHEMA_VERSION: '1' | '2' = '1';
  /** Names this service to the issuer (`X-Internal-Client`); required by the service-token mode. */
  @EmptyAsUnset() @IsOptional() @IsString() INTERNAL_CLIENT_ID?: string;
  /** The issuer's service-token endpoint; when set, private calls carry a bearer service token. */
  @EmptyAsUnset() @IsOptional() @IsUrl(URL_OPTIONS) SERVICE_TOKEN_URL?: string;
  /** Scopes asked for in the service-token exchange (comma list; empty sends `{}`). */
  @EnvList() @IsArray() @IsString({ each: true }) SERVICE_TOKEN_SCOPES: string[] = [];
  /** Seconds before its expiry a service token is replaced. */
  @EnvInt() @IsInt() @Min(0) @Max(3600) SERVICE_TOKEN_REFRESH_LEEWAY_SECONDS = 30;
  /** What `X-Internal-Token` must equal for the detailed health view (default: `PRIVATE_API_SECRET`). */
  @Secret() @EmptyAsUnset() @IsOptional() @IsString() HEALTH_DETAIL_CREDENTIAL?: string;

  // ── Database ───────────────────────────────────────────────────────────────────────
  @IsIn(DATABASES) SELECTED_DB: SelectedDb = 'Mysql';
  @EmptyAsUnset() @IsOptional() @IsString() DB_HOST?: string;
  @EnvInt() @IsOptional() @IsInt() @Min(1) @Max(65535) DB_PORT?: number;
  /** Database name; for Sqlite a file path or `:memory:`. */
  @EmptyAsUnset() @IsOptional() @IsString() DB_DATABASE?: string;
  @EmptyAsUnset() @IsOptional() @IsString() DB_USER?: string;
  @Secret() @IsOptional() @IsString() DB_PASSWORD?: string;
  /** Longest one SQL statement may run, in ms (server-side, plus a client-side guard); 0 = no limit. */
  @EnvInt() @IsInt() @Min(0) @Max(3_600_000) DB_STATEMENT_TIMEOUT_MS = 15_000;
  /** Longest a query waits for a pooled connection, in ms; then it fails with 503. */
  @EnvInt() @IsInt() @Min(100) @Max(600_000) DB_POOL_ACQUIRE_TIMEOUT_MS = 5_000;
  @Matches(/^[A-Za-z0-9_]*$/, { message: 'TABLES_PREFIX may hold only letters, digits and _' }) TABLES_PREFIX = 'app';
  /** Overrides the URL derived from the DB_* fields. */
  @Secret() @EmptyAsUnset() @IsOptional() @IsString() DATABASE_URL?: string;

  // ── Redis (accepted; consumers do not connect) ───────────────────────────────────────────
  @EmptyAsUnset() @IsOptional() @IsString() REDIS_HOST?: string;
  @EnvInt() @IsInt() @Min(1) @Max(65535) REDIS_PORT = 6379;
  @EmptyAsUnset() @IsOptional() @IsString() REDIS_USER?: string;
  @Secret() @IsOptional() @IsString() REDIS_PASSWORD?: string;
  @EnvBool() @IsBoolean() REDIS_SSL = false;

  // ── Observability ──────────────────────────────────────────────────────────────────
  @EnvBool() @IsBoolean() METRICS_ENABLED = false;
  /** Comma list of traffic, performance, reliability, health, auth — or `all`. */
  @EnvList() @IsArray() @IsIn([...METRICS_GROUPS, 'all'], { each: true }) METRICS_GROUPS: string[] = ['all'];
  /** When set, `GET /metrics` requires `Authorization: Bearer <credential>`. */
  @Secret() @EmptyAsUnset() @IsOptional() @IsString() METRICS_SCRAPE_CREDENTIAL?: string;

  // ── Docs ───────────────────────────────────────────────────────────────────────────
  @EnvBool() @IsBoolean() SET_OPEN_API = true;
  @EnvBool() @IsBoolean() SET_DOCS = true;
  @EnvBool() @IsBoolean() SET_REDOC = true;
  @EnvBool() @IsBoolean() SERVE_DOCS_IN_PRODUCTION = false;

  /**
   * Loads, validates and freezes settings: explicit `values` > process environment > `.env`.
   * Throws one `SettingsError` listing every problem.
   */
  static load<T extends ConsumerServiceSettings>(this: new () => T, options: LoadSettingsOptions<T> = {}): T {
    return loadSettings(this, options);
  }

  // ── Derived values ───────────────────────────────────────────────────────────────────
  get isStateless(): boolean {
    return this.TOKEN_MODE === 'stateless';
  }

  get isStateful(): boolean {
    return this.TOKEN_MODE === 'stateful';
  }

  /** A stateful consumer asks the issuer whether each token was revoked (docs/interop.md §4). */
  get checksRevocation(): boolean {
    return this.TOKEN_MODE === 'stateful' && this.AUTH_SERVICE_ROLE === 'consumer';
  }

  /** `SHUTDOWN_DELAY_SECONDS`, or its default: 5 s (Kubernetes endpoint removal), 0 for `local`. */
  get shutdownDelaySeconds(): number {
    return this.SHUTDOWN_DELAY_SECONDS ?? (this.ENVIRONMENT === 'local' ? 0 : DEFAULT_SHUTDOWN_DELAY_SECONDS);
  }

  get isProductionLike(): boolean {
    return this.ENVIRONMENT === 'staging' || this.ENVIRONMENT === 'production';
  }

  /** `service_token` when `SERVICE_TOKEN_URL` is set, `bootstrap` with `INTERNAL_CLIENT_ID`, else `legacy`. */
  get clientIdentityMode(): ClientIdentityMode {
    if (this.SERVICE_TOKEN_URL) return 'service_token';
    return this.INTERNAL_CLIENT_ID ? 'bootstrap' : 'legacy';
  }

  /** False when the value is the class's default (nothing set it): e.g. an unset `ENVIRONMENT`. */
  wasSet(name: keyof this & string): boolean {
    return setFieldsOf(this).has(name);
  }

  /** `API_PREFIX` without a trailing slash ('' for the root). */
  get apiPrefix(): string {
    return this.API_PREFIX.replace(/\/+$/, '');
  }

  /** CORS origins: normalised `BACKEND_CORS_ORIGINS` plus `FRONTEND_HOST`. */
  get allowedOrigins(): readonly string[] {
    return deriveAllowedOrigins(this.BACKEND_CORS_ORIGINS, this.FRONTEND_HOST).origins;
  }

  /** `DATABASE_URL`, or the URL derived from `SELECTED_DB` and the `DB_*` fields (password escaped). */
  get databaseUrl(): string {
    return deriveDatabaseUrl(this);
  }

  /** Metrics groups enabled (`all` expanded). */
  get metricsGroups(): ReadonlySet<MetricsGroup> {
    return new Set(this.METRICS_GROUPS.includes('all') ? METRICS_GROUPS : (this.METRICS_GROUPS as MetricsGroup[]));
  }

  /**
   * Rules between fields. Override to add your own, and keep the contract's:
   * `return [...super.crossFieldProblems(), ...mine]`.
   */
  crossFieldProblems(): SettingsProblem[] {
    return checkCrossFieldRules(this);
  }

  /** Secrets are never serialised. */
  toJSON(): Record<string, unknown> {
    return redactedView(this);
  }
}
