/**
 * Every shape a DTO parameter can be sent in, checked before class-transformer sees it, for the
 * compiled executor and the routing-controllers path alike:
 * - an array or a primitive where a DTO object is declared is a 422 (routing-controllers would
 *   hand it to the action unvalidated);
 * - `@Body({ type: Dto }) items: Dto[]` is validated element by element (routing-controllers skips it);
 * - unknown properties are dropped (`whitelist`) or refused (`forbidNonWhitelisted`) in one linear
 *   pass, so class-transformer never walks them (its cost grows with the square of unknown keys).
 */
import { plainToInstance } from 'class-transformer';
import { validate, type ValidatorOptions } from 'class-validator';
import type { ParamMetadata } from 'routing-controllers';
import { RequestValidationProblem, type ValidationIssue } from '../errors';
import { DtoShapes } from './dto-whitelist';
import { flatten, issueProblem, locOf, type Loc } from './validation-issues';

/** What m8 tells class-validator: the routing-controllers options users know, minus leaking values. */
export interface RequestValidation extends ValidatorOptions {
  /** Drop properties a DTO does not declare (default true). */
  readonly whitelist?: boolean;
  /** Refuse them instead, with a 422 naming each (default false). */
  readonly forbidNonWhitelisted?: boolean;
}

const NOT_DTO: ReadonlySet<unknown> = new Set([Object, Array, String, Number, Boolean, Date, Promise, Function, Buffer]);

export type DtoClass = new () => object;

/** The DTO class of a parameter, when it declares one. */
export function dtoOf(param: ParamMetadata): DtoClass | undefined {
  const target = param.targetType as unknown;
  return typeof target === 'function' && !NOT_DTO.has(target) ? (target as DtoClass) : undefined;
}

/** `@Body({ type: Dto }) items: Dto[]`: the reflected parameter type is Array while the DTO is explicit. */
export function declaredArray(param: ParamMetadata): boolean {
  if (param.isArray) return true;
  const types = Reflect.getMetadata('design:paramtypes', (param.target as { prototype: object }).prototype, param.method) as unknown[] | undefined;
  return types?.[param.index] === Array;
}

/** Checks, strips and validates one DTO-typed value; the array and object cases in one place. */
export class DtoInput {
  /** Set when unknown properties are dropped or refused. */
  private readonly shapes: DtoShapes | undefined;
  private readonly array: boolean;

  constructor(
    readonly target: DtoClass,
    private readonly param: ParamMetadata,
    private readonly validation: RequestValidation | undefined,
    private readonly enabled: boolean,
  ) {
    const options: RequestValidation = { ...validation, ...(typeof param.validate === 'object' ? (param.validate as RequestValidation) : {}) };
    const whitelisting = enabled && (options.whitelist === true || options.forbidNonWhitelisted === true);
    this.shapes = whitelisting ? new DtoShapes(options.forbidNonWhitelisted === true) : undefined;
    this.array = declaredArray(param);
  }

  get root(): Loc {
    return locOf(this.param);
  }

  /** A plain array (or object) of stripped values: whitelisting and shape checks only, nothing transformed. */
  prepare(value: unknown): unknown {
    if (!this.array) return this.prepareOne(value, this.root);
    if (!Array.isArray(value)) throw issueProblem(this.root, 'Input should be a valid list', 'list_type');
    return value.map((item, i) => this.prepareOne(item, [...this.root, i]));
  }

  /** `prepare`, then class-transformer and class-validator: instances out, or one 422 listing every failure. */
  async transformAndValidate(value: unknown): Promise<unknown> {
    const prepared = this.prepare(value);
    const items = this.array ? (prepared as unknown[]) : [prepared];
    const instances = items.map((item) => (item instanceof this.target ? item : plainToInstance(this.target, item, this.param.classTransform)));
    if (this.enabled) {
      const issues: ValidationIssue[] = [];
      const options = { forbidUnknownValues: false, ...this.validation, ...(typeof this.param.validate === 'object' ? this.param.validate : {}) };
      for (let i = 0; i < instances.length; i++) {
        flatten(await validate(instances[i]!, options), this.array ? [...this.root, i] : this.root, issues);
      }
      if (issues.length > 0) throw new RequestValidationProblem(issues);
    }
    return this.array ? instances : instances[0];
  }

  private prepareOne(value: unknown, loc: Loc): unknown {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw issueProblem(loc, 'Input should be a valid dictionary or object to extract fields from', 'model_attributes_type');
    }
    if (value instanceof this.target || this.shapes === undefined) return value;
    const issues: ValidationIssue[] = [];
    const kept = this.shapes.strip(value as Record<string, unknown>, this.target, loc, issues);
    if (issues.length > 0) throw new RequestValidationProblem(issues);
    return kept;
  }
}
