/**
 * RS256 / ES256 through jose, with the key from a `KeySource` (a PEM file or a JWKS). The single
 * place where jose's errors become ours (`translateJoseError`), so nothing of jose leaks upwards.
 */
import type * as Jose from 'jose';
import type { CryptoKey } from 'jose';
import { checkHeader, decodeJsonObject, HeaderMemo, splitCompact } from './compact-jws';
import { rejectToken, TokenRejectedError, type TokenRejectionReason } from './errors';
import type { SignatureVerifier } from './signature-verifier';

/**
 * jose, loaded by the first RS256/ES256 key source or verifier rather than by importing @m8/auth: an
 * HS256 service (node:crypto) never holds its ≈3 MiB (bench/README.md, *Start-up and memory*).
 */
export function loadJose(): typeof Jose {
  return require('jose') as typeof Jose;
}

export type AsymmetricAlgorithm = 'RS256' | 'ES256';

/** Finds the verification key for a token's `kid` (undefined when the header has none). */
export interface KeySource {
  key(kid: string | undefined): CryptoKey | Promise<CryptoKey>;
  /** See `SignatureVerifier.refreshIfStale`. */
  refreshIfStale?(nowMs: number): void;
}

/** A PEM public key: imported once; any `kid` header is ignored (docs/interop.md §1). */
export class StaticKeySource implements KeySource {
  private readonly imported: Promise<CryptoKey>;

  constructor(pem: string, algorithm: AsymmetricAlgorithm) {
    this.imported = loadJose().importSPKI(pem, algorithm);
    // Surfaced by `ready()` at setup; without this a bad key would be an unhandled rejection.
    this.imported.catch(() => undefined);
  }

  /** Resolves once the key is imported; rejects with jose's reason when the PEM does not fit. */
  async ready(): Promise<void> {
    await this.imported;
  }

  key(): Promise<CryptoKey> {
    return this.imported;
  }
}

const JOSE_REASONS: Readonly<Record<string, TokenRejectionReason>> = {
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'bad_signature',
  ERR_JOSE_ALG_NOT_ALLOWED: 'wrong_algorithm',
  ERR_JWKS_NO_MATCHING_KEY: 'unknown_key',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'unknown_key',
};

/**
 * jose (or WebCrypto) error → `TokenRejectedError`. Anything unrecognised is a token we could not
 * verify (`malformed`): a token must never turn into a 500.
 */
export function translateJoseError(error: unknown): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const reason = typeof code === 'string' ? (JOSE_REASONS[code] ?? 'malformed') : 'malformed';
  const message = error instanceof Error ? error.message : 'verification failed';
  return rejectToken(reason, message);
}

export class JoseVerifier implements SignatureVerifier {
  private readonly options: { algorithms: string[] };
  private readonly headerMemo = new HeaderMemo();
  private readonly compactVerify = loadJose().compactVerify;

  constructor(
    private readonly algorithm: AsymmetricAlgorithm,
    private readonly keys: KeySource,
  ) {
    this.options = { algorithms: [algorithm] };
  }

  refreshIfStale(nowMs: number): void {
    this.keys.refreshIfStale?.(nowMs);
  }

  async verify(token: string): Promise<Record<string, unknown>> {
    // Our own checks first, so shape and algorithm failures get the same reasons as on HS256.
    const parts = splitCompact(token, this.headerMemo);
    checkHeader(parts.header, this.algorithm);
    try {
      const key = await this.keys.key(parts.header.kid as string | undefined);
      await this.compactVerify(token, key, this.options);
    } catch (error) {
      throw translateJoseError(error);
    }
    return decodeJsonObject(parts.payload, 'payload');
  }
}
