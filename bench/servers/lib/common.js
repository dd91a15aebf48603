// Shared by the non-m8 servers: configuration from env, the route's JSON, and the claim checks of
// docs/interop.md §1 written out by hand, so every baseline rejects exactly what m8 rejects.
'use strict';
const { readFileSync } = require('node:fs');

/** The route's answer, the same bytes for every target. */
const ITEMS = Object.freeze([
  { id: 1, name: 'alpha', price: 10 },
  { id: 2, name: 'beta', price: 20 },
  { id: 3, name: 'gamma', price: 30 },
]);

const ROUTE = '/api/items/';
const ROLES = new Set(['superadmin', 'admin', 'writer', 'reader', 'user']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const LEEWAY_SECONDS = 5;

const NOT_AUTHENTICATED = JSON.stringify({ detail: 'Not authenticated' });
const INVALID = JSON.stringify({ detail: 'Could not validate credentials.' });
const INACTIVE = JSON.stringify({ detail: 'Inactive user' });
const NOT_FOUND = JSON.stringify({ detail: 'Not Found' });

/** Same env names as m8 (ACCESS_TOKEN_ALGORITHM, ACCESS_SECRET_KEY, ACCESS_PUBLIC_KEY_FILE), plus PORT. */
function config() {
  const algorithm = process.env.ACCESS_TOKEN_ALGORITHM || process.env.ALG || 'HS256';
  const port = Number(process.env.PORT || 0);
  if (algorithm === 'HS256') {
    const secret = process.env.ACCESS_SECRET_KEY;
    if (!secret) throw new Error('ACCESS_SECRET_KEY is required for HS256');
    return { algorithm, port, secret };
  }
  const file = process.env.ACCESS_PUBLIC_KEY_FILE;
  if (!file) throw new Error(`ACCESS_PUBLIC_KEY_FILE is required for ${algorithm}`);
  return { algorithm, port, publicKeyPem: readFileSync(file, 'utf8') };
}

/** The token of an `Authorization: Bearer <token>` header, '' for a malformed one, undefined when absent. */
function bearerToken(header) {
  if (typeof header !== 'string' || header.length < 7) return undefined;
  if (header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim();
}

function optionalType(payload, name, type) {
  const value = payload[name];
  return value === undefined || value === null || typeof value === type;
}

/**
 * The claim rules m8 applies after the signature (type, required claims, UUID sub, email, role,
 * optional booleans, exp/nbf/iat with 5 s leeway). Returns the user, or undefined when invalid.
 */
function userFromClaims(payload, nowSeconds = Math.floor(Date.now() / 1000)) {
  if (payload.type !== 'access') return undefined;
  const { sub, jti, exp, email, role, iat, nbf } = payload;
  if (typeof sub !== 'string' || !UUID.test(sub)) return undefined;
  if (typeof jti !== 'string' || jti.length === 0) return undefined;
  if (!Number.isInteger(exp) || exp <= nowSeconds - LEEWAY_SECONDS) return undefined;
  if (iat !== undefined && (!Number.isInteger(iat) || iat > nowSeconds + LEEWAY_SECONDS)) return undefined;
  if (nbf !== undefined && (!Number.isInteger(nbf) || nbf > nowSeconds + LEEWAY_SECONDS)) return undefined;
  if (typeof email !== 'string' || email.length > 320) return undefined;
  const normalisedEmail = email.trim().toLowerCase();
  if (!EMAIL.test(normalisedEmail)) return undefined;
  if (role !== undefined && !ROLES.has(role)) return undefined;
  if (!optionalType(payload, 'full_name', 'string') || !optionalType(payload, 'avatar', 'string')) return undefined;
  for (const flag of ['is_active', 'email_verified', 'is_superuser']) {
    if (payload[flag] !== undefined && typeof payload[flag] !== 'boolean') return undefined;
  }
  return {
    id: sub,
    email: normalisedEmail,
    jti,
    exp,
    role: role ?? 'user',
    fullName: payload.full_name ?? null,
    avatar: payload.avatar ?? null,
    isActive: payload.is_active ?? true,
    emailVerified: payload.email_verified ?? false,
    isSuperuser: payload.is_superuser ?? false,
  };
}

/** A key for jose's `jwtVerify`, imported once (HS256 as an HMAC CryptoKey, PEMs via importSPKI). */
async function joseKey(jose, cfg) {
  if (cfg.algorithm === 'HS256') {
    const bytes = new TextEncoder().encode(cfg.secret);
    return globalThis.crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  }
  return jose.importSPKI(cfg.publicKeyPem, cfg.algorithm);
}

/** Every baseline exits cleanly on SIGTERM/SIGINT (so `--cpu-prof` profiles get written). */
/** Full jose verification (signature, alg, exp/nbf) then the contract's claim checks: a user, or undefined. */
async function verifiedUser(jose, token, key, verifyOptions) {
  try {
    const { payload } = await jose.jwtVerify(token, key, verifyOptions);
    return userFromClaims(payload);
  } catch {
    return undefined;
  }
}

function exitOnSignals(close) {
  const stop = () => {
    Promise.resolve(close()).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

module.exports = {
  ITEMS,
  ROUTE,
  NOT_AUTHENTICATED,
  INVALID,
  INACTIVE,
  NOT_FOUND,
  LEEWAY_SECONDS,
  config,
  bearerToken,
  userFromClaims,
  verifiedUser,
  joseKey,
  exitOnSignals,
};
