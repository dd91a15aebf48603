import type { ConsumerServiceSettings } from '@m8/core';
import type { OpenApiDocument } from './document-types';
import { OpenApiOptionsError, type OpenApiOptionProblem } from './errors';

/** What `openapi(options)` accepts. Every member is optional. */
export interface OpenApiOptions {
  /**
   * Where Swagger UI's "Authorize" posts the username and password (OAuth2 password flow).
   * Default: `{BACKEND_HOST}{AUTH_PREFIX}/login/access-token`, the issuer's login. An absolute
   * `http(s)` URL, or a path starting with `/` resolved against the page's origin (what the Python
   * framework does, right when the issuer shares the service's host behind one gateway).
   */
  readonly tokenUrl?: string;
  /** `info.description` of the document (Markdown). Default none. */
  readonly description?: string;
  /**
   * Last word on the document: called once at setup with the generated document; the document it
   * returns is served. Use it to add examples, servers or tags.
   */
  readonly transformDocument?: (document: OpenApiDocument) => OpenApiDocument;
}

/** Options after validation, with defaults applied; frozen. */
export interface ResolvedOpenApiOptions {
  readonly tokenUrl: string;
  readonly description: string | undefined;
  readonly transformDocument: ((document: OpenApiDocument) => OpenApiDocument) | undefined;
}

type UrlSettings = Pick<ConsumerServiceSettings, 'BACKEND_HOST' | 'AUTH_PREFIX'>;

/** The issuer's login endpoint for the OAuth2 password flow, absolute against `BACKEND_HOST`. */
export function defaultTokenUrl(settings: UrlSettings): string {
  // Concatenated, not resolved: a BACKEND_HOST with a path (behind a path-routing proxy) keeps it.
  return `${settings.BACKEND_HOST.replace(/\/+$/, '')}${settings.AUTH_PREFIX.replace(/\/+$/, '')}/login/access-token`;
}

/** One validation pass that reports every problem, then frozen; the default `tokenUrl` comes from the app's settings at setup. */
export function validateOptions(options: OpenApiOptions = {}): OpenApiOptions {
  const problems: OpenApiOptionProblem[] = [];
  const { tokenUrl, description, transformDocument } = options;
  if (tokenUrl !== undefined && !isTokenUrl(tokenUrl)) {
    problems.push({ option: 'tokenUrl', problem: `must be an absolute http(s) URL or a path starting with "/" (got ${JSON.stringify(tokenUrl)})` });
  }
  if (description !== undefined && typeof description !== 'string') problems.push({ option: 'description', problem: 'must be a string' });
  if (transformDocument !== undefined && typeof transformDocument !== 'function') {
    problems.push({ option: 'transformDocument', problem: 'must be a function (document) => document' });
  }
  const known = new Set(['tokenUrl', 'description', 'transformDocument']);
  for (const name of Object.keys(options)) if (!known.has(name)) problems.push({ option: name, problem: 'is not an option of @m8/openapi' });
  if (problems.length > 0) throw new OpenApiOptionsError(problems);
  return Object.freeze({ tokenUrl, description, transformDocument });
}

/** The options with their defaults, for one app. */
export function resolveOptions(settings: UrlSettings, options: OpenApiOptions): ResolvedOpenApiOptions {
  return Object.freeze({ tokenUrl: options.tokenUrl ?? defaultTokenUrl(settings), description: options.description, transformDocument: options.transformDocument });
}

function isTokenUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  if (value.startsWith('/')) return !value.startsWith('//'); // '//host' would be another host
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
