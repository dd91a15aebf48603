/**
 * `buildAuthDeps(settings)`: everything a service needs to authenticate requests, built once from
 * the settings (key resolver, verifier, revocation client). It is the auth plugin: list it in
 * `bootstrap()`'s `plugins`, after the database, so it is closed before the database at shutdown.
 */
import { readFileSync } from 'node:fs';
import type { Action } from 'routing-controllers';
import type { AppContext, AuthProvider, ConsumerServiceSettings, M8Plugin, PackageInfo } from '@m8/core';
import { readPackageInfo } from '@m8/core/internal';
import { RequestAuthenticator, type AuthContext } from './authenticator';
import { ServiceTokenIdentity, StaticIdentity, type ClientIdentity } from './client-identity';
import type { ClaimsPolicy } from './claims';
import { registerCurrentUser } from './current-user';
import { AuthUsageError, InsufficientPrivilegesError } from './errors';
import { Hs256Verifier } from './hs256-verifier';
import { JoseVerifier, StaticKeySource } from './jose-verifier';
import { JwksKeySource } from './jwks-key-source';
import { AuthConfigError, resolveAuthOptions, type AuthOptions, type ResolvedAuthOptions } from './options';
import { RevocationClient, type IssuerProbe } from './revocation-client';
import { isRole, satisfiesRole } from './roles';
import type { SignatureVerifier } from './signature-verifier';
import { AuthTelemetry } from './telemetry';
import { TokenVerifier } from './token-verifier';
import type { UserModel } from './user-model';

const PACKAGE: PackageInfo = readPackageInfo(__dirname, '@m8/auth');

/** What `buildAuthDeps` returns: the auth plugin (routing-controllers' checkers), plus direct access to token verification. */
export class AuthDeps implements M8Plugin, AuthProvider {
  readonly name = 'auth';
  readonly package: PackageInfo = PACKAGE;
  private readonly authenticator: RequestAuthenticator;

  /** @internal use `buildAuthDeps()`. */
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly revocation: RevocationClient | undefined,
    private readonly telemetry: AuthTelemetry,
    private readonly keyReady: () => Promise<void>,
    private readonly settings: ConsumerServiceSettings,
    private readonly probeAtStart: boolean,
  ) {
    this.authenticator = new RequestAuthenticator(verifier, revocation, settings.INVALID_TOKEN_STATUS, telemetry);
  }

  async setup(app: AppContext): Promise<void> {
    this.telemetry.attach(app.events, app.logger);
    registerCurrentUser(app.container);
    app.authorize(this);
    app.onClose('auth', () => this.close());
    await this.keyReady(); // a PEM that does not fit the algorithm fails the start, not the first request
    const posture = authPosture(this.settings);
    app.logger.info({ event: 'auth_posture', ...posture }, `auth posture: ${Object.entries(posture).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
    if (this.revocation && this.probeAtStart) await this.warnIfIssuerSilent(app);
  }

  /**
   * The issuer's jti-status endpoint as a health check (for @m8/health's `checks`): `ok` when it
   * answers, `degraded` with the reason when it does not (degraded, not fail: anonymous routes and
   * health keep working, and a fail would take every instance out of the load balancer at once).
   * Without revocation checks (stateless, hybrid, issuer) it is `ok` and says so in `meta`.
   *
   * @example
   * new HealthConfig({ checks: [engine.asHealthCheck(), auth.asHealthCheck()] })
   */
  asHealthCheck(name = 'issuer'): { readonly name: string; check(): Promise<IssuerHealth> } {
    return {
      name,
      check: async () => {
        if (!this.revocation) return { status: 'ok', ok: true, error: null, meta: { revocationChecks: false } };
        const probe = await this.revocation.probe();
        return probe === 'answers'
          ? { status: 'ok', ok: true, error: null, meta: { revocationChecks: true } }
          : {
              status: 'degraded',
              ok: false,
              error: `INTROSPECTION_URL ${issuerProblem(probe)}`,
              meta: { revocationChecks: true, failureMode: this.settings.ACCESS_REVOCATION_FAILURE_MODE },
            };
      },
    };
  }

  /** A stateful consumer whose issuer does not answer starts anyway, but says what will happen. */
  private async warnIfIssuerSilent(app: AppContext): Promise<void> {
    const probe = await this.revocation!.probe();
    if (probe === 'answers') return;
    const effect = this.settings.ACCESS_REVOCATION_FAILURE_MODE === 'fail_open' && probe === 'unavailable'
      ? 'requests with a token are admitted unchecked (fail_open) until it does'
      : 'requests with a token will answer 503 until it does';
    app.logger.warn(
      { event: 'issuer_unreachable', url: this.settings.INTROSPECTION_URL, probe },
      `the issuer's jti-status endpoint (INTROSPECTION_URL) ${issuerProblem(probe)}: ${effect}`,
    );
  }

  /** routing-controllers' checker: 401/503/403 thrown as `HttpProblem`s; a role miss throws our 403 too. */
  authorizationChecker = (action: Action, roles: string[]): boolean | Promise<boolean> => {
    const user = this.authenticator.authenticate(action.context as AuthContext);
    if (user instanceof Promise) return user.then((settled) => this.checkRoles(settled, roles));
    return this.checkRoles(user, roles);
  };

  /** routing-controllers' `@CurrentUser()` resolver: the same memoised outcome as the guards. */
  currentUserChecker = (action: Action): UserModel | Promise<UserModel> => {
    try {
      return this.authenticator.authenticate(action.context as AuthContext);
    } catch (error) {
      // routing-controllers computes parameters outside a try: a sync throw must be a rejection.
      return Promise.reject(error);
    }
  };

  /**
   * Verifies a token outside HTTP (a queue message, a websocket handshake): signature and claims,
   * no revocation, no `is_active` check. Rejects with `TokenRejectedError`.
   */
  async verifyToken(token: string): Promise<UserModel> {
    return this.verifier.verify(token);
  }

  async close(): Promise<void> {
    this.verifier.clearCache();
    await this.revocation?.close();
  }

  private checkRoles(user: UserModel, roles: readonly string[]): boolean {
    if (roles.length === 0) return true;
    for (const role of roles) {
      if (!isRole(role)) throw new AuthUsageError(`@Authorized("${role}") names no role; use one of Role.USER … Role.SUPERADMIN`);
      if (satisfiesRole(user, role)) return true;
    }
    this.authenticator.reportFailure('forbidden');
    throw new InsufficientPrivilegesError();
  }
}

/** What the one start-up log line says about how tokens are checked and how the issuer is called. */
export interface AuthPosture {
  readonly algorithm: string;
  readonly key_source: 'secret' | 'pem' | 'jwks';
  readonly strict_validation: boolean;
  readonly token_mode: string;
  readonly revocation_failure_mode: string;
  readonly client_identity: string;
}

export function authPosture(settings: ConsumerServiceSettings): AuthPosture {
  const algorithm = settings.ACCESS_TOKEN_ALGORITHM;
  return {
    algorithm,
    key_source: algorithm === 'HS256' ? 'secret' : settings.JWKS_URI ? 'jwks' : 'pem',
    strict_validation: settings.TOKEN_STRICT_VALIDATION,
    token_mode: settings.TOKEN_MODE,
    // Only a stateful consumer asks the issuer; elsewhere neither setting is used.
    revocation_failure_mode: settings.checksRevocation ? settings.ACCESS_REVOCATION_FAILURE_MODE : 'none',
    client_identity: settings.checksRevocation ? settings.clientIdentityMode : 'none',
  };
}

function claimsPolicy(settings: ConsumerServiceSettings): ClaimsPolicy {
  return Object.freeze({
    leewaySeconds: settings.TOKEN_STRICT_VALIDATION ? 2 : 5,
    issuer: settings.TOKEN_ISSUER || undefined,
    audience: settings.TOKEN_AUDIENCE || undefined,
    strict: settings.TOKEN_STRICT_VALIDATION,
  });
}

interface KeyPlan {
  readonly signature: SignatureVerifier;
  readonly ready: () => Promise<void>;
}

function keyPlan(settings: ConsumerServiceSettings, options: ResolvedAuthOptions, telemetry: AuthTelemetry, onKeysChanged: () => void): KeyPlan {
  const algorithm = settings.ACCESS_TOKEN_ALGORITHM;
  if (algorithm === 'HS256') {
    if (!settings.ACCESS_SECRET_KEY) throw new AuthConfigError(['ACCESS_SECRET_KEY is required when ACCESS_TOKEN_ALGORITHM=HS256']);
    return { signature: new Hs256Verifier(settings.ACCESS_SECRET_KEY), ready: async () => undefined };
  }
  if (settings.JWKS_URI) {
    const jwks = new JwksKeySource({
      uri: settings.JWKS_URI,
      algorithm,
      ttlMs: settings.JWKS_CACHE_TTL_SECONDS * 1000,
      cooldownMs: options.jwksCooldownMs,
      timeoutMs: options.jwksTimeoutMs,
      telemetry,
      onKeysChanged,
    });
    // Warm the key set at start so the first request does not pay the fetch; a failure is only
    // logged (the endpoint may come up later). It leaves the unknown-kid cooldown unused.
    return { signature: new JoseVerifier(algorithm, jwks), ready: () => jwks.warm() };
  }
  const file = settings.ACCESS_PUBLIC_KEY_FILE;
  if (!file) throw new AuthConfigError([`ACCESS_PUBLIC_KEY_FILE or JWKS_URI is required when ACCESS_TOKEN_ALGORITHM=${algorithm}`]);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    throw new AuthConfigError([`ACCESS_PUBLIC_KEY_FILE "${file}" cannot be read`]);
  }
  const key = new StaticKeySource(pem, algorithm);
  const ready = async (): Promise<void> => {
    try {
      await key.ready();
    } catch (error) {
      throw new AuthConfigError([`ACCESS_PUBLIC_KEY_FILE "${file}" is not a ${algorithm} public key (${(error as Error).message})`]);
    }
  };
  return { signature: new JoseVerifier(algorithm, key), ready };
}

/** The identity of private calls to the issuer, by `settings.clientIdentityMode` (docs/interop.md §8). */
function clientIdentity(settings: ConsumerServiceSettings, options: ResolvedAuthOptions, telemetry: AuthTelemetry): ClientIdentity {
  const secret = settings.PRIVATE_API_SECRET!;
  if (settings.clientIdentityMode !== 'service_token') return new StaticIdentity(secret, settings.INTERNAL_CLIENT_ID);
  return new ServiceTokenIdentity({
    url: settings.SERVICE_TOKEN_URL!,
    clientId: settings.INTERNAL_CLIENT_ID!,
    secret,
    scopes: settings.SERVICE_TOKEN_SCOPES,
    leewayMs: settings.SERVICE_TOKEN_REFRESH_LEEWAY_SECONDS * 1000,
    connectTimeoutMs: options.revocationConnectTimeoutMs,
    timeoutMs: options.revocationTimeoutMs,
    telemetry,
  });
}

function revocationClient(settings: ConsumerServiceSettings, options: ResolvedAuthOptions, telemetry: AuthTelemetry): RevocationClient | undefined {
  if (!settings.checksRevocation) return undefined;
  const problems: string[] = [];
  if (!settings.INTROSPECTION_URL) problems.push('INTROSPECTION_URL is required for a stateful consumer');
  if (!settings.PRIVATE_API_SECRET) problems.push('PRIVATE_API_SECRET is required for a stateful consumer');
  if (settings.SERVICE_TOKEN_URL && !settings.INTERNAL_CLIENT_ID) problems.push('INTERNAL_CLIENT_ID is required when SERVICE_TOKEN_URL is set');
  if (problems.length > 0) throw new AuthConfigError(problems);
  return new RevocationClient({
    url: settings.INTROSPECTION_URL!,
    identity: clientIdentity(settings, options, telemetry),
    schemaVersion: settings.REVOCATION_SCHEMA_VERSION,
    failureMode: settings.ACCESS_REVOCATION_FAILURE_MODE,
    cacheTtlMs: settings.REVOCATION_CACHE_TTL_SECONDS * 1000,
    cacheSize: options.revocationCacheSize,
    connectTimeoutMs: options.revocationConnectTimeoutMs,
    timeoutMs: options.revocationTimeoutMs,
    telemetry,
  });
}

/**
 * Builds the auth dependencies of a service from its settings: one key resolver, one verifier
 * (with its exact-token cache), and in stateful consumer mode one revocation client.
 *
 * @example
 * ```ts
 * const settings = ConsumerServiceSettings.load();
 * const app = await bootstrap(settings, { controllers: [ItemsController], plugins: [buildAuthDeps(settings)] });
 * ```
 * @throws AuthConfigError when the settings or options cannot work (every problem listed).
 */
export function buildAuthDeps(settings: ConsumerServiceSettings, options: AuthOptions = {}): AuthDeps {
  const resolved = resolveAuthOptions(options);
  const telemetry = new AuthTelemetry();
  let verifier: TokenVerifier | undefined;
  // A changed JWKS drops every cached verification: a key taken out of the set stops working at once.
  const plan = keyPlan(settings, resolved, telemetry, () => verifier?.clearCache());
  verifier = new TokenVerifier(plan.signature, claimsPolicy(settings), resolved.verificationCacheSize);
  const revocation = revocationClient(settings, resolved, telemetry);
  return new AuthDeps(verifier, revocation, telemetry, plan.ready, settings, resolved.probeIssuerAtStart);
}


/** What the issuer health check answers (the shape @m8/health reads). */
export interface IssuerHealth {
  readonly status: 'ok' | 'degraded';
  /** `status === 'ok'` (the same field @m8/health's results carry). */
  readonly ok: boolean;
  readonly error: string | null;
  readonly meta: Readonly<Record<string, unknown>>;
}

function issuerProblem(probe: Exclude<IssuerProbe, 'answers'>): string {
  if (probe === 'malformed') return 'answered without a usable `active`';
  if (probe === 'no_identity') return 'could not be called: the service-token exchange failed';
  return 'does not answer (refused, timed out or not 2xx)';
}
