/**
 * `TokenFactory`: access tokens minted the way the m8 issuer mints them (docs/interop.md §1), with
 * every claim and header overridable, for tests of services that consume them.
 * Signing uses node:crypto directly (synchronous, and free to produce the broken tokens a
 * negative test needs: any header, any algorithm label, no signature at all).
 */
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign as cryptoSign,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { M8Error } from '@m8/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TestTokenAlgorithm = 'HS256' | 'RS256' | 'ES256';

/** The claims of an m8 access token, snake_case as on the wire. */
export interface AccessTokenClaims {
  sub: string;
  type: string;
  email: string;
  role?: string;
  is_active?: boolean;
  email_verified?: boolean;
  is_superuser?: boolean;
  full_name?: string | null;
  avatar?: string | null;
  tenant_id?: string | null;
  jti: string;
  exp: number;
  iat?: number;
  nbf?: number;
  iss?: string;
  aud?: string | string[];
  [claim: string]: unknown;
}

/** Claim overrides: a value replaces the default, `undefined` removes the claim. */
export type ClaimOverrides = { [K in keyof AccessTokenClaims]?: AccessTokenClaims[K] | undefined } & Record<string, unknown>;

export interface MintOptions {
  /** Header members merged over `{ alg, typ: 'JWT', kid? }`; `undefined` removes one. */
  readonly header?: Record<string, unknown>;
}

export interface TokenFactoryOptions {
  /** Added as `iss` to every token. */
  readonly issuer?: string;
  /** Added as `aud` to every token. */
  readonly audience?: string | string[];
  /** Add `iat` (and `nbf`) = now, as the strict profile wants. Default false (the baseline issuer omits them). */
  readonly issuedAt?: boolean;
  /** Lifetime of minted tokens in seconds. Default 1800 (ACCESS_TOKEN_EXPIRE_MINUTES=30). */
  readonly expiresInSeconds?: number;
  /** Seconds since the epoch; default the real clock. */
  readonly now?: () => number;
}

/** A public JWK as a JWKS serves it. */
export interface PublicJwk extends JsonWebKey {
  kid?: string;
  use?: string;
  alg?: string;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * Mints m8 access tokens.
 *
 * @example
 * ```ts
 * const tokens = TokenFactory.hs256(settings.ACCESS_SECRET_KEY!);
 * const token = tokens.mint({ role: 'writer' });
 * await fetch(url, { headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export class TokenFactory {
  /** PEM (SPKI) of the verification key; undefined for HS256. */
  readonly publicKeyPem: string | undefined;
  /** The verification key as a JWKS entry (`kid`, `use: sig`, `alg`); undefined for HS256. */
  readonly publicJwk: PublicJwk | undefined;

  private constructor(
    readonly algorithm: TestTokenAlgorithm,
    private readonly signingKey: KeyObject | Buffer,
    readonly kid: string | undefined,
    private readonly options: TokenFactoryOptions,
    publicKey?: KeyObject,
  ) {
    this.publicKeyPem = publicKey?.export({ type: 'spki', format: 'pem' }).toString();
    this.publicJwk = publicKey && { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: algorithm };
  }

  /** HS256 with `secret` (as UTF-8 bytes, like ACCESS_SECRET_KEY). */
  static hs256(secret: string | Buffer, options: TokenFactoryOptions = {}): TokenFactory {
    return new TokenFactory('HS256', Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8'), undefined, options);
  }

  /** RS256 with a fresh key pair (2048 bits unless said otherwise), or a given PKCS#8 PEM. */
  static rs256(options: TokenFactoryOptions & { kid?: string; modulusLength?: number; privateKeyPem?: string } = {}): TokenFactory {
    const privateKey = options.privateKeyPem
      ? createPrivateKey(options.privateKeyPem)
      : generateKeyPairSync('rsa', { modulusLength: options.modulusLength ?? 2048 }).privateKey;
    return new TokenFactory('RS256', privateKey, options.kid ?? randomUUID(), options, createPublicKey(privateKey));
  }

  /** ES256 (P-256) with a fresh key pair, or a given PKCS#8 PEM. */
  static es256(options: TokenFactoryOptions & { kid?: string; privateKeyPem?: string } = {}): TokenFactory {
    const privateKey = options.privateKeyPem
      ? createPrivateKey(options.privateKeyPem)
      : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    return new TokenFactory('ES256', privateKey, options.kid ?? randomUUID(), options, createPublicKey(privateKey));
  }

  /** Seconds since the epoch, by the factory's clock. */
  now(): number {
    return this.options.now ? this.options.now() : Math.floor(Date.now() / 1000);
  }

  /** The claims a token would carry: the issuer's defaults, then `overrides`. */
  claims(overrides: ClaimOverrides = {}): AccessTokenClaims {
    const now = this.now();
    const claims: Record<string, unknown> = {
      sub: randomUUID(),
      type: 'access',
      email: 'user@example.com',
      role: 'user',
      is_active: true,
      email_verified: false,
      is_superuser: false,
      jti: randomUUID(),
      exp: now + (this.options.expiresInSeconds ?? 1800),
    };
    if (this.options.issuedAt) Object.assign(claims, { iat: now, nbf: now });
    if (this.options.issuer !== undefined) claims.iss = this.options.issuer;
    if (this.options.audience !== undefined) claims.aud = this.options.audience;
    for (const [name, value] of Object.entries(overrides)) {
      if (value === undefined) delete claims[name];
      else claims[name] = value;
    }
    return claims as AccessTokenClaims;
  }

  /** A signed token with the default claims and `overrides` (a raw payload when given a string). */
  mint(overrides: ClaimOverrides | string = {}, options: MintOptions = {}): string {
    const header: Record<string, unknown> = { alg: this.algorithm, typ: 'JWT' };
    if (this.kid !== undefined) header.kid = this.kid;
    for (const [name, value] of Object.entries(options.header ?? {})) {
      if (value === undefined) delete header[name];
      else header[name] = value;
    }
    const payload = typeof overrides === 'string' ? Buffer.from(overrides, 'utf8').toString('base64url') : encode(this.claims(overrides));
    const signingInput = `${encode(header)}.${payload}`;
    return `${signingInput}.${this.signature(signingInput)}`;
  }

  /** Expired `secondsAgo` seconds ago (default 60: beyond the 5 s leeway). */
  expired(secondsAgo = 60, overrides: ClaimOverrides = {}): string {
    return this.mint({ ...overrides, exp: this.now() - secondsAgo });
  }

  /** `nbf` `seconds` in the future (default 60). */
  notYetValid(seconds = 60, overrides: ClaimOverrides = {}): string {
    return this.mint({ ...overrides, nbf: this.now() + seconds });
  }

  /** `iat` `seconds` in the future (default 60). */
  issuedInFuture(seconds = 60, overrides: ClaimOverrides = {}): string {
    return this.mint({ ...overrides, iat: this.now() + seconds });
  }

  /** A refresh token (`type: "refresh"`), which a consumer must refuse. */
  refresh(overrides: ClaimOverrides = {}): string {
    return this.mint({ ...overrides, type: 'refresh' });
  }

  /** The token without one claim. */
  withoutClaim(name: string, overrides: ClaimOverrides = {}): string {
    return this.mint({ ...overrides, [name]: undefined });
  }

  /** `alg: none`, empty signature: must always be refused. */
  unsigned(overrides: ClaimOverrides = {}): string {
    return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(this.claims(overrides))}.`;
  }

  /** `token` with its payload replaced by `overrides` applied to it, signature kept: tampered. */
  static tamper(token: string, overrides: ClaimOverrides): string {
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const [name, value] of Object.entries(overrides)) {
      if (value === undefined) delete claims[name];
      else claims[name] = value;
    }
    return `${header}.${encode(claims)}.${signature}`;
  }

  /** Writes the public key PEM to a temporary file (for `ACCESS_PUBLIC_KEY_FILE`) and returns its path. */
  writePublicKeyFile(): string {
    if (this.publicKeyPem === undefined) throw new TestingUsageError('an HS256 factory has no public key');
    const path = join(mkdtempSync(join(tmpdir(), 'm8-key-')), 'public.pem');
    writeFileSync(path, this.publicKeyPem);
    return path;
  }

  private signature(signingInput: string): string {
    if (this.algorithm === 'HS256') return createHmac('sha256', this.signingKey as Buffer).update(signingInput).digest('base64url');
    const key = this.signingKey as KeyObject;
    const options = this.algorithm === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
    return cryptoSign('sha256', Buffer.from(signingInput, 'utf8'), options).toString('base64url');
  }
}

/** A test helper used in a way it cannot serve (e.g. the public key of an HS256 factory). */
export class TestingUsageError extends M8Error {
  static override readonly code = 'ERR_M8_TESTING_USAGE';
  override readonly code = TestingUsageError.code;
}
