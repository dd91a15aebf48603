import type { routingControllersToSpec } from 'routing-controllers-openapi';

/** An OpenAPI 3.0 document (routing-controllers-openapi's `OpenAPIObject`). */
export type OpenApiDocument = ReturnType<typeof routingControllersToSpec>;

/** The parts of an operation this package edits; the rest passes through untouched. */
export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: SchemaLike }>; [key: string]: unknown };
  responses?: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
  [key: string]: unknown;
}

/** A JSON schema or a `$ref`, loosely. */
export interface SchemaLike {
  $ref?: string;
  required?: string[];
  [key: string]: unknown;
}
