/**
 * Request bodies: JSON and form bodies are read, decoded and checked before any controller sees
 * them, so the work a body costs is bounded by its size and linear in it.
 *
 * - over `maxBytes` (after decompression too): 413;
 * - nested deeper than `maxDepth`, or more than `maxFields` object members and array items: 413,
 *   found by one linear scan of the text before `JSON.parse`, so a hostile shape never reaches
 *   class-transformer (whose cost grows with the square of the keys and whose recursion overflows);
 * - `Content-Encoding` other than gzip/deflate/br/identity, or a charset other than UTF-8: 415;
 * - compressed data that does not decompress, or bytes that are not UTF-8: 400 (never stored as U+FFFD);
 * - malformed JSON or a `__proto__` key: 422 `json_invalid`.
 *
 * routing-controllers mounts its own parser with default limits; it skips a request whose body is
 * already parsed, so this one decides. Other content types are not read (the body is `{}`).
 */
import { createBrotliDecompress, createUnzip } from 'node:zlib';
import type { Readable, Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { parse as parseJsonSafely } from '@hapi/bourne';
import { parse as parseForm } from 'qs';
import { HttpProblem, RequestValidationProblem } from '../errors';
import { checkJsonShape, countFormFields } from './body-shape';

export interface BodyLimits {
  /** Largest body in bytes, after decompression (`BODY_LIMIT_BYTES`). */
  readonly maxBytes: number;
  /** Deepest nesting of objects and arrays (`BODY_MAX_DEPTH`). */
  readonly maxDepth: number;
  /** Most object members plus array items in the whole body (`BODY_MAX_FIELDS`). */
  readonly maxFields: number;
}

const JSON_TYPES = ['application/json', '+json', 'application/csp-report'];
const FORM_TYPES = ['application/x-www-form-urlencoded'];
/** JSON is UTF-8 (RFC 8259 §8.1); US-ASCII is a subset of it. */
const UTF8_CHARSETS = new Set(['', 'utf-8', 'utf8', 'us-ascii']);

/** The body middleware of `bootstrap()`: 413/415/400/422 as described above. */
export function jsonBody(limits: BodyLimits): Middleware {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  return async function jsonBody(ctx, next) {
    const headers = ctx.req.headers;
    // Most requests (GETs) carry no body at all: answer what a parser would, without its work.
    const kind = headers['content-length'] === undefined && headers['transfer-encoding'] === undefined ? undefined : bodyKind(ctx);
    if (kind === undefined) {
      (ctx.request as { body?: unknown }).body = {};
      return next();
    }
    checkCharset(ctx);
    const text = decodeUtf8(utf8, await readBody(ctx, limits.maxBytes));
    (ctx.request as { body?: unknown }).body = kind === 'json' ? parseJson(text, limits) : parseFormBody(text, limits);
    return next();
  };
}

function bodyKind(ctx: Context): 'json' | 'form' | undefined {
  if (ctx.request.is(JSON_TYPES)) return 'json';
  if (ctx.request.is(FORM_TYPES)) return 'form';
  return undefined;
}

function checkCharset(ctx: Context): void {
  if (!UTF8_CHARSETS.has(ctx.request.charset.toLowerCase())) {
    throw new HttpProblem(415, 'Unsupported charset: request bodies must be UTF-8', { code: 'ERR_M8_BODY_CHARSET' });
  }
}

/** The raw bytes, decompressed; raw-body's own errors (413, 400 on a short body) speak for themselves. */
async function readBody(ctx: Context, maxBytes: number): Promise<Buffer> {
  const encoding = (ctx.get('content-encoding') || 'identity').trim().toLowerCase();
  if (encoding === 'identity') return getRawBody(ctx.req, { limit: maxBytes, length: ctx.get('content-length') || null });
  const decoder = decompressor(encoding);
  const source: Readable = ctx.req;
  // A client that hangs up mid-body must end the read, not leave it waiting on the decoder.
  let clientFailed = false;
  const onClientError = (error: Error): void => {
    clientFailed = true;
    decoder.destroy(error);
  };
  source.once('error', onClientError);
  let undecodable = false;
  decoder.once('error', () => (undecodable = !clientFailed));
  source.pipe(decoder);
  try {
    return await getRawBody(decoder, { limit: maxBytes });
  } catch (error) {
    // Whatever is left of the body is read and dropped, so the answer can still be written.
    source.unpipe(decoder);
    decoder.destroy();
    source.resume();
    if (undecodable) throw new HttpProblem(400, `Request body is not valid ${encoding} data`, { code: 'ERR_M8_BODY_UNDECODABLE' });
    // As raw-body answers an aborted identity body: the client's doing, not a server error.
    if (clientFailed) throw new HttpProblem(400, 'Request aborted', { code: 'ERR_M8_BODY_ABORTED' });
    throw error;
  } finally {
    source.off('error', onClientError);
  }
}

function decompressor(encoding: string): Transform {
  // createUnzip reads both the gzip and the zlib ("deflate") framing.
  if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') return createUnzip();
  if (encoding === 'br') return createBrotliDecompress();
  throw new HttpProblem(415, 'Unsupported Content-Encoding: use gzip, deflate, br or identity', { code: 'ERR_M8_BODY_ENCODING' });
}

function decodeUtf8(decoder: TextDecoder, bytes: Buffer): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new HttpProblem(400, 'Request body is not valid UTF-8', { code: 'ERR_M8_BODY_UNDECODABLE' });
  }
}

const JSON_INVALID = 'JSON decode error';

function parseJson(text: string, limits: BodyLimits): unknown {
  if (text.trim() === '') return {};
  // Only an object or an array is a body (a bare string or number is refused, as before).
  if (!/^[\x20\x09\x0a\x0d]*[[{]/.test(text)) throw jsonInvalid(JSON_INVALID);
  refuseShape(checkJsonShape(text, limits.maxDepth, limits.maxFields), limits);
  try {
    return parseJsonSafely(text, { protoAction: 'error' }) as unknown;
  } catch (error) {
    throw jsonInvalid(/prototype/.test((error as Error).message) ? 'Object contains a forbidden __proto__ property' : JSON_INVALID);
  }
}

function parseFormBody(text: string, limits: BodyLimits): unknown {
  refuseShape(countFormFields(text) > limits.maxFields ? 'fields' : undefined, limits);
  try {
    return parseForm(text, { allowDots: true, depth: limits.maxDepth, strictDepth: true, parameterLimit: limits.maxFields, throwOnLimitExceeded: true });
  } catch {
    // qs throws a RangeError only past the depth (fields were counted above).
    return refuseShape('depth', limits);
  }
}

function refuseShape(excess: 'depth' | 'fields' | undefined, limits: BodyLimits): void {
  if (excess === 'depth') {
    throw new HttpProblem(413, `Request body is nested more than ${limits.maxDepth} levels deep (BODY_MAX_DEPTH)`, { code: 'ERR_M8_BODY_TOO_DEEP' });
  }
  if (excess === 'fields') {
    throw new HttpProblem(413, `Request body has more than ${limits.maxFields} fields, counting object members and array items (BODY_MAX_FIELDS)`, {
      code: 'ERR_M8_BODY_TOO_MANY_FIELDS',
    });
  }
}

function jsonInvalid(msg: string): RequestValidationProblem {
  return new RequestValidationProblem([{ loc: ['body'], msg, type: 'json_invalid' }]);
}
