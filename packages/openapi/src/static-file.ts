/**
 * A file served from memory: bytes, type, ETag and cache policy all fixed at setup, so a request
 * costs a header comparison. Large text assets are gzipped once, on the first request that accepts
 * gzip, and the compressed bytes are kept.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { M8Context } from '@m8/core';

const gzipAsync = promisify(gzip);

/** Assets are addressed with a content hash (`?v=`), so they may be cached for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Pages and the document change with each deployment: revalidate (cheap, thanks to the ETag). */
export const REVALIDATE = 'no-cache';

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  /** Short content hash for cache-busting URLs. */
  readonly version: string;
  readonly cacheControl: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Builds a served file; `headers` are extra (e.g. a CSP for pages). */
export function staticFile(body: Buffer | string, type: string, cacheControl: string, headers: Record<string, string> = {}): StaticFile {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const hash = createHash('sha256').update(bytes).digest('base64url');
  return Object.freeze({ body: bytes, type, etag: `"${hash.slice(0, 27)}"`, version: hash.slice(0, 12), cacheControl, headers: Object.freeze({ ...headers }) });
}

/** The Koa handler answering `file`: 304 on a matching `If-None-Match`, gzip when accepted and worth it. */
export function serveFile(file: StaticFile): (ctx: M8Context) => Promise<void> {
  const compressible = file.body.length > 1024 && !file.type.startsWith('image/');
  let gzipped: Promise<Buffer> | undefined;
  const extra = Object.entries(file.headers);
  return async (ctx) => {
    ctx.set('Cache-Control', file.cacheControl);
    ctx.set('ETag', file.etag);
    for (const [name, value] of extra) ctx.set(name, value);
    if (compressible) ctx.set('Vary', 'Accept-Encoding');
    ctx.type = file.type;
    if (ctx.get('If-None-Match') === file.etag) {
      ctx.status = 304;
      return;
    }
    if (compressible && ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
      gzipped ??= gzipAsync(file.body);
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = await gzipped;
      return;
    }
    ctx.body = file.body;
  };
}
