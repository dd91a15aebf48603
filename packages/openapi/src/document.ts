/**
 * The OpenAPI document, generated once from the controllers' decorators by
 * routing-controllers-openapi, then corrected where that library is wrong for m8:
 * - it adds no `security` for `@Authorized()`/`@CurrentUser()`: added here, per operation;
 * - it marks a `@Body()` optional unless `{ required: true }`, though routing-controllers validates
 *   a missing body as `{}` and answers 422 when the class has required properties: such a body is
 *   required in truth, and the document says so;
 * - the error answers of the contract (401/403 `{"detail"}`, 422 `[{loc, msg, type}]`) are declared.
 */
import { parseRoutes, routingControllersToSpec, getFullPath } from 'routing-controllers-openapi';
import type { OpenApiDocument, Operation, SchemaLike } from './document-types';
import { OpenApiDocumentError } from './errors';
import { storageFor, type ControllerClass } from './metadata';
import { classSchemas, collectRefs, reachableSchemas, REF_PREFIX } from './schemas';
import { routeAuth, SECURITY_REQUIREMENT, securitySchemes, type RouteAuth } from './security';

/** What the document is built from. */
export interface DocumentInput {
  /** The app's controller classes (only these are described). */
  readonly controllers: readonly ControllerClass[];
  /** `API_PREFIX` without a trailing slash ('' for the root). */
  readonly apiPrefix: string;
  /** `info.title` */
  readonly title: string;
  /** `info.version` */
  readonly version: string;
  /** `info.description` (Markdown). */
  readonly description?: string;
  /** The OAuth2 password flow's token URL (the issuer's `{AUTH_PREFIX}/login/access-token`). */
  readonly tokenUrl: string;
}

/** Schemas m8 adds for its error answers; a request or response class may not take these names. */
export const ERROR_SCHEMAS: Readonly<Record<string, SchemaLike>> = Object.freeze({
  HTTPError: {
    type: 'object',
    properties: { detail: { type: 'string' } },
    required: ['detail'],
  },
  HTTPValidationError: {
    type: 'object',
    properties: { detail: { type: 'array', items: { $ref: `${REF_PREFIX}ValidationIssue` } } },
    required: ['detail'],
  },
  ValidationIssue: {
    type: 'object',
    properties: {
      loc: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'integer' }] } },
      msg: { type: 'string' },
      type: { type: 'string' },
    },
    required: ['loc', 'msg', 'type'],
  },
});

/**
 * Builds the OpenAPI 3 document of `controllers` (call it once: it walks all metadata).
 *
 * @example
 * const document = buildOpenApiDocument({ controllers: [ItemsController], apiPrefix: '/api',
 *   title: 'items', version: '1.0.0', tokenUrl: 'http://localhost:8000/auth/login/access-token' });
 * writeFileSync('openapi.json', JSON.stringify(document, null, 2));
 */
export function buildOpenApiDocument(input: DocumentInput): OpenApiDocument {
  return generateDocument(input).document;
}

/** The document, and the referenced classes that have no class-validator metadata (described as bare objects). */
export function generateDocument(input: DocumentInput): { document: OpenApiDocument; bareClasses: string[] } {
  const storage = storageFor(input.controllers);
  const available = classSchemas();
  const routeOptions = { routePrefix: input.apiPrefix };
  const info: OpenApiDocument['info'] = { title: input.title, version: input.version };
  if (input.description) info.description = input.description;
  const spec = routingControllersToSpec(storage, routeOptions, {
    info,
    // Header/query expansion of `@HeaderParams()`/`@QueryParams()` classes reads these.
    components: { schemas: available as never },
  });
  spec.paths ??= {};

  const used = new Set<string>(); // schemas the controllers reference (before m8's own are added)
  for (const route of parseRoutes(storage, routeOptions)) {
    const operation = (spec.paths[getFullPath(route)] as Record<string, Operation> | undefined)?.[route.action.type];
    if (operation === undefined) continue;
    fixRequestBody(operation, available);
    dropDefaultPathPatterns(operation);
    collectRefs(operation, used);
    declareErrors(operation, routeAuth(storage, route.action.target, route.action.method));
  }

  const { schemas, missing } = reachableSchemas(used, available);
  const clash = Object.keys(ERROR_SCHEMAS).filter((name) => Object.hasOwn(schemas, name));
  if (clash.length > 0) {
    throw new OpenApiDocumentError(`The classes ${clash.join(', ')} share their names with schemas m8 adds for error answers; rename them.`);
  }
  spec.components = { ...spec.components, schemas: { ...schemas, ...structuredClone(ERROR_SCHEMAS) } as never, securitySchemes: securitySchemes(input.tokenUrl) as never };
  return { document: spec, bareClasses: missing };
}

/** A body whose schema has required properties is required whatever the decorator says (see above). */
function fixRequestBody(operation: Operation, available: Record<string, SchemaLike>): void {
  const body = operation.requestBody;
  if (body === undefined || body.required === true) return;
  for (const media of Object.values(body.content ?? {})) {
    const ref = media.schema?.$ref;
    const schema = ref?.startsWith(REF_PREFIX) ? available[ref.slice(REF_PREFIX.length)] : media.schema;
    if ((schema?.required?.length ?? 0) > 0) body.required = true;
  }
}

/**
 * routing-controllers-openapi compares path tokens with path-to-regexp 6.2's default pattern; the
 * 6.3 it resolves to has another default, which then leaks into every path parameter as noise.
 */
const DEFAULT_SEGMENT_PATTERNS = new Set(['[^\\/#\\?]+?', '[^\\/]+?']);
function dropDefaultPathPatterns(operation: Operation): void {
  if (!Array.isArray(operation.parameters)) return;
  for (const parameter of operation.parameters as Array<{ in?: string; schema?: SchemaLike }>) {
    if (parameter.in === 'path' && typeof parameter.schema?.pattern === 'string' && DEFAULT_SEGMENT_PATTERNS.has(parameter.schema.pattern)) {
      delete parameter.schema.pattern;
    }
  }
}

function declareErrors(operation: Operation, auth: RouteAuth | undefined): void {
  const responses = (operation.responses ??= {});
  const error = (description: string, schema = 'HTTPError') => ({
    description,
    content: { 'application/json': { schema: { $ref: `${REF_PREFIX}${schema}` } } },
  });
  if (auth !== undefined) {
    operation.security = SECURITY_REQUIREMENT.map((requirement) => ({ ...requirement }));
    responses['401'] ??= error('Not authenticated, or the token is invalid or revoked');
    responses['403'] ??= error(auth.roles.length > 0 ? `Inactive user, or a role below ${auth.roles.join(' / ')}` : 'Inactive user');
    const who = auth.roles.length > 0 ? `Requires the role ${auth.roles.join(' or ')} (or above).` : 'Requires an authenticated user.';
    operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
  }
  const hasInput = operation.requestBody !== undefined || (Array.isArray(operation.parameters) && operation.parameters.length > 0);
  if (hasInput) responses['422'] ??= error('Validation error', 'HTTPValidationError');
}
