/**
 * @m8/openapi — the OpenAPI 3 document generated from a service's controllers, with Swagger UI and
 * ReDoc served by the service itself (no CDN), gated by `SET_OPEN_API`, `SET_DOCS`, `SET_REDOC`
 * and `SERVE_DOCS_IN_PRODUCTION`.
 */
export { openapi } from './plugin';
export { buildOpenApiDocument, ERROR_SCHEMAS } from './document';
export type { DocumentInput } from './document';
export type { OpenApiDocument } from './document-types';
export { docsToggles } from './toggles';
export type { DocsToggles } from './toggles';
export { defaultTokenUrl } from './options';
export type { OpenApiOptions, ResolvedOpenApiOptions } from './options';
export { OAUTH2_SCHEME, BEARER_SCHEME } from './security';
export { OpenApiOptionsError, OpenApiDocumentError, OpenApiAssetError } from './errors';
export type { OpenApiOptionProblem, OpenApiErrorCode } from './errors';
export { OPENAPI_PACKAGE } from './version';
// The decorators that enrich the document, re-exported so a service needs one import.
export { OpenAPI, ResponseSchema } from 'routing-controllers-openapi';
export { JSONSchema } from 'class-validator-jsonschema';
