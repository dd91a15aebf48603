/**
 * One request's authentication, in the contract's order (docs/interop.md §2): token present → valid →
 * not revoked (stateful) → active. The outcome is memoised on `ctx.state`, so a request validates
 * its token once however many guards and `@CurrentUser()` parameters it touches. Failures become
 * `HttpProblem`s here and only here, and each is reported once as `auth.failure`.
 */
import { HttpProblem, type AuthFailureReason } from '@m8/core';
import {
  InactiveUserError,
  InvalidTokenError,
  NotAuthenticatedError,
  rejectToken,
  RevocationUnavailableError,
  TokenRejectedError,
  TokenRevokedError,
  type InvalidTokenStatus,
} from './errors';
import type { RevocationClient } from './revocation-client';
import type { AuthTelemetry } from './telemetry';
import type { TokenVerifier } from './token-verifier';
import type { UserModel } from './user-model';
import type { RevocationResult } from '@m8/core';

/** The `ctx.state` key holding a request's outcome (user, pending promise or failure). */
export const AUTH_STATE_KEY = 'm8.auth';

/** Minimal view of a Koa context: what authentication reads and writes. */
export interface AuthContext {
  readonly headers: { readonly authorization?: string | undefined };
  readonly state: Record<string, unknown>;
}

/** A memoised failure: later guards of the same request rethrow it without re-validating. */
class Failed {
  constructor(readonly problem: HttpProblem) {}
}

const REASONS = new Map<Function, AuthFailureReason>([
  [NotAuthenticatedError, 'missing'],
  [TokenRevokedError, 'revoked'],
  [RevocationUnavailableError, 'revocation_unavailable'],
  [InactiveUserError, 'inactive'],
]);

/** `Bearer <token>` → token. RFC 7235: the scheme is case-insensitive. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.length < 6) throw new NotAuthenticatedError();
  // Fast path: what every client sends, without allocating a lower-cased copy.
  if (!header.startsWith('Bearer')) {
    if (header.slice(0, 6).toLowerCase() !== 'bearer') throw new NotAuthenticatedError();
  }
  if (header.length > 6 && header.charCodeAt(6) !== 32) throw new NotAuthenticatedError();
  const token = header.slice(7).trim();
  if (token === '') throw rejectToken('malformed', 'the bearer token is empty');
  return token;
}

function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

export class RequestAuthenticator {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly revocation: RevocationClient | undefined,
    private readonly invalidStatus: InvalidTokenStatus,
    private readonly telemetry: AuthTelemetry,
  ) {}

  /** The request's active user, or a thrown/rejected `HttpProblem`. Sync when nothing had to wait. */
  authenticate(ctx: AuthContext): UserModel | Promise<UserModel> {
    const state = ctx.state;
    const memo = state[AUTH_STATE_KEY] as UserModel | Promise<UserModel> | Failed | undefined;
    if (memo !== undefined) {
      if (memo instanceof Failed) throw memo.problem;
      return memo;
    }
    let outcome: UserModel | Promise<UserModel>;
    try {
      outcome = this.run(ctx);
    } catch (error) {
      throw this.remember(state, error);
    }
    if (isThenable(outcome)) {
      const pending = outcome.then(
        (user) => (state[AUTH_STATE_KEY] = user),
        (error: unknown) => {
          throw this.remember(state, error);
        },
      );
      state[AUTH_STATE_KEY] = pending;
      return pending;
    }
    state[AUTH_STATE_KEY] = outcome;
    return outcome;
  }

  /** Reports a failure that happens after authentication (the role check). */
  reportFailure(reason: AuthFailureReason): void {
    this.telemetry.failure(reason);
  }

  private run(ctx: AuthContext): UserModel | Promise<UserModel> {
    const token = bearerToken(ctx.headers.authorization);
    const verified = this.verifier.verify(token);
    if (isThenable(verified)) return verified.then((user) => this.afterVerification(user));
    return this.afterVerification(verified);
  }

  private afterVerification(user: UserModel): UserModel | Promise<UserModel> {
    if (this.revocation === undefined) return this.activeOnly(user);
    const result = this.revocation.check(user);
    if (isThenable(result)) return result.then((settled) => this.afterRevocation(user, settled));
    return this.afterRevocation(user, result);
  }

  /**
   * Deny by default: only an explicit `active` (or `fail_open`, the client's own verdict when it was configured
   * to admit on failure) lets the request through. `revoked` is 401; `unverifiable` and anything else is 503.
   */
  private afterRevocation(user: UserModel, result: RevocationResult): UserModel {
    if (result === 'active' || result === 'fail_open') return this.activeOnly(user);
    if (result === 'revoked') throw new TokenRevokedError(this.invalidStatus);
    throw new RevocationUnavailableError();
  }

  private activeOnly(user: UserModel): UserModel {
    if (!user.isActive) throw new InactiveUserError();
    return user;
  }

  /** The one translation point: verifier rejections → HTTP answers; reported and memoised. */
  private remember(state: Record<string, unknown>, error: unknown): unknown {
    let problem: HttpProblem;
    let reason: AuthFailureReason;
    if (error instanceof TokenRejectedError) {
      problem = new InvalidTokenError(error.reason, this.invalidStatus);
      reason = error.reason;
    } else if (HttpProblem.is(error)) {
      problem = error;
      reason = REASONS.get(error.constructor) ?? 'forbidden';
    } else {
      return error; // a bug, not a verdict: let it be a logged 500
    }
    this.telemetry.failure(reason, error instanceof TokenRejectedError ? error.claim : undefined);
    state[AUTH_STATE_KEY] = new Failed(problem);
    return problem;
  }
}
