/**
 * Claim validation for m8 access tokens (docs/interop.md §1), run after the signature checked out.
 * One pass, in a fixed order, each failure a `TokenRejectedError` with its reason. The result is the
 * frozen `UserModel` with the contract's defaults applied.
 */
import { rejectToken } from './errors';
import { isRole, Role } from './roles';
import type { UserModel } from './user-model';

/** What the claims are checked against; built once per service from the settings. */
export interface ClaimsPolicy {
  /** Seconds of clock skew tolerated on `exp`, `nbf` and `iat` (5, or 2 in the strict profile). */
  readonly leewaySeconds: number;
  /** `TOKEN_ISSUER`: when set, `iss` must equal it. */
  readonly issuer?: string;
  /** `TOKEN_AUDIENCE`: when set, `aud` (string or array) must contain it. */
  readonly audience?: string;
  /** `TOKEN_STRICT_VALIDATION`: `iss`, `aud`, `iat` and `nbf` become required. */
  readonly strict: boolean;
}

// Any UUID version, canonical hyphenated form (what the issuer writes), either case.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Deliberately simple: one @, no spaces, a dot in the domain (the issuer already validated it).
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_EMAIL_LENGTH = 320;

function reject(reason: 'invalid_claims' | 'expired' | 'not_yet_valid', message: string): never {
  throw rejectToken(reason, message);
}

function optionalString(payload: Record<string, unknown>, name: string): string | null {
  const value = payload[name];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') reject('invalid_claims', `"${name}" must be a string or null`);
  return value;
}

function optionalBool(payload: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = payload[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') reject('invalid_claims', `"${name}" must be a boolean`);
  return value;
}

function numericDate(payload: Record<string, unknown>, name: string, required: boolean): number | undefined {
  const value = payload[name];
  if (value === undefined) {
    if (required) reject('invalid_claims', `"${name}" is required`);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) reject('invalid_claims', `"${name}" must be an integer`);
  return value;
}

/** `exp` still in the future at `nowSeconds`, within the leeway. Also re-checked on every cache hit. */
export function isExpired(exp: number, nowSeconds: number, leewaySeconds: number): boolean {
  return exp <= nowSeconds - leewaySeconds;
}

function checkTimes(payload: Record<string, unknown>, now: number, policy: ClaimsPolicy): number {
  const exp = numericDate(payload, 'exp', true) as number;
  const iat = numericDate(payload, 'iat', policy.strict);
  const nbf = numericDate(payload, 'nbf', policy.strict);
  if (isExpired(exp, now, policy.leewaySeconds)) reject('expired', '"exp" is in the past');
  if (nbf !== undefined && nbf > now + policy.leewaySeconds) reject('not_yet_valid', '"nbf" is in the future');
  if (iat !== undefined && iat > now + policy.leewaySeconds) reject('not_yet_valid', '"iat" is in the future');
  return exp;
}

function checkIssuerAndAudience(payload: Record<string, unknown>, policy: ClaimsPolicy): void {
  const { iss, aud } = payload;
  if (policy.strict && iss === undefined) reject('invalid_claims', '"iss" is required');
  if (policy.issuer !== undefined && iss !== policy.issuer) reject('invalid_claims', '"iss" does not match TOKEN_ISSUER');
  if (policy.strict && aud === undefined) reject('invalid_claims', '"aud" is required');
  if (policy.audience !== undefined) {
    const matches = typeof aud === 'string' ? aud === policy.audience : Array.isArray(aud) && aud.includes(policy.audience);
    if (!matches) reject('invalid_claims', '"aud" does not contain TOKEN_AUDIENCE');
  }
}

function requiredString(payload: Record<string, unknown>, name: string): string {
  const value = payload[name];
  if (typeof value !== 'string' || value === '') reject('invalid_claims', `"${name}" must be a non-empty string`);
  return value;
}

/**
 * Validates a verified payload at `nowSeconds` and maps it to a frozen `UserModel`.
 * Throws `TokenRejectedError` (`expired`, `not_yet_valid` or `invalid_claims`).
 */
export function validateClaims(payload: unknown, nowSeconds: number, policy: ClaimsPolicy): UserModel {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    reject('invalid_claims', 'the payload is not a JSON object');
  }
  const claims = payload as Record<string, unknown>;
  const exp = checkTimes(claims, nowSeconds, policy);
  if (claims.type !== 'access') reject('invalid_claims', '"type" must be "access"');
  const sub = requiredString(claims, 'sub');
  if (!UUID.test(sub)) reject('invalid_claims', '"sub" must be a UUID');
  const jti = requiredString(claims, 'jti');
  const email = requiredString(claims, 'email').trim().toLowerCase();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) reject('invalid_claims', '"email" is not an email address');
  const role = claims.role === undefined ? Role.USER : claims.role;
  if (!isRole(role)) reject('invalid_claims', '"role" is not one of the five roles');
  const tenantId = optionalString(claims, 'tenant_id');
  if (tenantId !== null && !UUID.test(tenantId)) reject('invalid_claims', '"tenant_id" must be a UUID');
  checkIssuerAndAudience(claims, policy);
  return Object.freeze({
    id: sub,
    sub,
    email,
    fullName: optionalString(claims, 'full_name'),
    avatar: optionalString(claims, 'avatar'),
    isActive: optionalBool(claims, 'is_active', true),
    emailVerified: optionalBool(claims, 'email_verified', false),
    isSuperuser: optionalBool(claims, 'is_superuser', false),
    role,
    tenantId,
    jti,
    exp,
  });
}
