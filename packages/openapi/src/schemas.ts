/**
 * Component schemas: every class-validator class of the process is converted once, then only the
 * ones the document reaches (request/response classes and what they nest) are kept, so classes of
 * other apps, the settings class or internal DTOs never leak into the document.
 */
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import type { SchemaLike } from './document-types';

// class-transformer's storage lets class-validator-jsonschema follow `@Type(() => Nested)`. The deep
// path has no typings of its own (and an ambient declaration would not travel with the sources).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

export const REF_PREFIX = '#/components/schemas/';

/** JSON schemas of all classes carrying class-validator decorators, keyed by class name. */
export function classSchemas(): Record<string, SchemaLike> {
  return validationMetadatasToSchemas({ refPointerPrefix: REF_PREFIX, classTransformerMetadataStorage: defaultMetadataStorage }) as Record<string, SchemaLike>;
}

/** Every `#/components/schemas/X` reference found anywhere in `value`. */
export function collectRefs(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(REF_PREFIX)) into.add(child.slice(REF_PREFIX.length));
      else collectRefs(child, into);
    }
  }
  return into;
}

/**
 * The schemas reachable from `roots` (transitively through nested references). A referenced class
 * without class-validator metadata becomes a bare object, named in `missing`, so the document
 * stays valid.
 */
export function reachableSchemas(roots: Iterable<string>, available: Record<string, SchemaLike>): { schemas: Record<string, SchemaLike>; missing: string[] } {
  const schemas: Record<string, SchemaLike> = {};
  const missing: string[] = [];
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (Object.hasOwn(schemas, name)) continue;
    const schema = available[name];
    if (schema === undefined) {
      missing.push(name);
      schemas[name] = { type: 'object', title: name };
      continue;
    }
    schemas[name] = schema;
    queue.push(...collectRefs(schema));
  }
  return { schemas: sortKeys(schemas), missing: missing.sort() };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
