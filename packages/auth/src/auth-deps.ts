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
import type { ClaimsPolicy } from './claims';
import { registerCurrentUser } from './current-user';
import { AuthUsageError, InsufficientPrivilegesError } from './errors';
import { Hs256Verifier } from './hs256-verifier';
import { JoseVerifier, StaticKeySource } from './jose-verifier';
import { JwksKeySource } from './jwks-key-source';
import { AuthConfigError, resolveAuthOptions, type AuthOptions, type ResolvedAuthOptions } from './options';
import { RevocationClient } from './revocation-client';
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
    settings: ConsumerServiceSettings,
  ) {
    this.authenticator = new RequestAuthenticator(verifier, revocation, settings.INVALID_TOKEN_STATUS, telemetry);
  }

  async setup(app: AppContext): Promise<void> {
    this.telemetry.attach(app.events, app.logger);
    registerCurrentUser(app.container);
    app.authorize(this);
    app.onClose('auth', () => this.close());
    await this.keyReady(); // a PEM that does not fit the algorithm fails the start, not the first request
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
    // logged (the endpoint may come up later) and the first unknown kid retries after the cooldown.
    return { signature: new JoseVerifier(algorithm, jwks), ready: () => jwks.refresh() };
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

function revocationClient(settings: ConsumerServiceSettings, options: ResolvedAuthOptions, telemetry: AuthTelemetry): RevocationClient | undefined {
  if (!settings.checksRevocation) return undefined;
  const problems: string[] = [];
  if (!settings.INTROSPECTION_URL) problems.push('INTROSPECTION_URL is required for a stateful consumer');
  if (!settings.PRIVATE_API_SECRET) problems.push('PRIVATE_API_SECRET is required for a stateful consumer');
  if (problems.length > 0) throw new AuthConfigError(problems);
  return new RevocationClient({
    url: settings.INTROSPECTION_URL!,
    secret: settings.PRIVATE_API_SECRET!,
    clientId: settings.INTERNAL_CLIENT_ID || undefined,
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
  return new AuthDeps(verifier, revocation, telemetry, plan.ready, settings);
}

