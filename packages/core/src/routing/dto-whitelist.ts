/**
 * class-validator's `whitelist`/`forbidNonWhitelisted`, applied to the plain value before
 * class-transformer walks it (class-transformer's cost grows with the square of the keys it copies):
 * one pass over the keys of the DTO and of each nested DTO (`@ValidateNested()` on a property whose
 * reflected type is a class). Nested arrays of DTOs are left to class-validator.
 */
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationIssue } from '../errors';
import type { Loc } from './validation-issues';

/** How many unknown properties a `forbidNonWhitelisted` 422 names at most. */
export const MAX_UNKNOWN_LISTED = 20;

type DtoClass = new () => object;

interface Shape {
  /** Properties class-validator's whitelist keeps: those with at least one validation decorator. */
  readonly known: ReadonlySet<string>;
  /** Nested DTO classes, by property. */
  readonly nested: ReadonlyMap<string, DtoClass>;
}

/** Shapes of one DTO and the DTOs it nests, computed once each. */
export class DtoShapes {
  private readonly shapes = new Map<DtoClass, Shape>();

  constructor(private readonly forbid: boolean) {}

  /** `value` without unknown properties (whitelist), or the issues naming them (forbid) appended to `issues`. */
  strip(value: Record<string, unknown>, target: DtoClass, loc: Loc, issues: ValidationIssue[]): Record<string, unknown> {
    const shape = this.shapeOf(target);
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (!shape.known.has(key)) {
        if (this.forbid && issues.length < MAX_UNKNOWN_LISTED) {
          issues.push({ loc: [...loc, key], msg: `property ${key} should not exist`, type: 'whitelistValidation' });
        }
        continue;
      }
      const child = value[key];
      const nested = shape.nested.get(key);
      const plainObject = typeof child === 'object' && child !== null && !Array.isArray(child);
      kept[key] = nested !== undefined && plainObject ? this.strip(child as Record<string, unknown>, nested, [...loc, key], issues) : child;
    }
    return kept;
  }

  private shapeOf(target: DtoClass): Shape {
    let shape = this.shapes.get(target);
    if (shape === undefined) {
      const metadatas = getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
      const nested = new Map<string, DtoClass>();
      for (const m of metadatas) {
        if (m.type !== ValidationTypes.NESTED_VALIDATION) continue;
        const type = Reflect.getMetadata('design:type', target.prototype, m.propertyName) as unknown;
        if (typeof type === 'function' && type !== Object && type !== Array) nested.set(m.propertyName, type as DtoClass);
      }
      shape = { known: new Set(metadatas.map((m) => m.propertyName)), nested };
      this.shapes.set(target, shape);
    }
    return shape;
  }
}
