/**
 * The few steps of reading a compact JWS that happen before any key is touched: the length fence,
 * the three-part shape and the protected header. Shared by the HS256 fast path and the jose path.
 */
import { rejectToken } from './errors';

/**
 * Tokens longer than this are refused before any decoding. m8 access tokens are well under 2 KB;
 * Node itself answers 431 for headers beyond 16 KB, so this only bounds work for what gets through.
 */
export const MAX_TOKEN_LENGTH = 8 * 1024;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The parts of a compact JWS, split once. */
export interface CompactParts {
  /** `header.payload`: the bytes the signature covers. */
  readonly signingInput: string;
  readonly header: Record<string, unknown>;
  readonly payload: string;
  readonly signature: string;
}

function malformed(message: string): never {
  throw rejectToken('malformed', message);
}

/** Decodes a base64url JSON object (strict alphabet, no padding). */
export function decodeJsonObject(segment: string, what: string): Record<string, unknown> {
  if (!BASE64URL.test(segment)) malformed(`the ${what} is not base64url`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    malformed(`the ${what} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) malformed(`the ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * The last protected header a verifier decoded, kept by that verifier: an issuer writes the same
 * header on every token, so decoding it again (base64url, JSON.parse) is skipped when the segment
 * is the same string. Only a segment that decoded to a JSON object is remembered.
 */
export class HeaderMemo {
  segment = '';
  header: Record<string, unknown> = {};
}

/** Splits `token` into its three parts and decodes the header; throws `malformed` on any deviation. */
export function splitCompact(token: string, memo?: HeaderMemo): CompactParts {
  if (token.length === 0) malformed('the token is empty');
  if (token.length > MAX_TOKEN_LENGTH) malformed('the token is too long');
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || token.indexOf('.', second + 1) !== -1) malformed('the token is not header.payload.signature');
  const segment = token.slice(0, first);
  let header: Record<string, unknown>;
  if (memo !== undefined && memo.segment === segment) header = memo.header;
  else {
    header = decodeJsonObject(segment, 'header');
    if (memo !== undefined) {
      memo.segment = segment;
      memo.header = header;
    }
  }
  return {
    signingInput: token.slice(0, second),
    header,
    payload: token.slice(first + 1, second),
    signature: token.slice(second + 1),
  };
}

/**
 * Header rules that hold whatever the key: the algorithm is the configured one (never `none`,
 * never taken from the token), and no `crit` extension (m8 issuers use none; unknown ones must fail).
 */
export function checkHeader(header: Record<string, unknown>, algorithm: string): void {
  if (header.alg !== algorithm) throw rejectToken('wrong_algorithm', `"alg" must be ${algorithm}`);
  if (header.crit !== undefined) malformed('"crit" header parameters are not supported');
  if (header.kid !== undefined && typeof header.kid !== 'string') malformed('"kid" must be a string');
}
