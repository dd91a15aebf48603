/**
 * Decorators that turn environment strings into typed values before class-validator checks them.
 * A value that cannot be converted is left as it is, so the validator reports it with its name.
 */
import 'reflect-metadata';
import { Transform } from 'class-transformer';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off', '']);
const SECRET_FIELDS = Symbol.for('m8:settings:secrets');

/** `"true" | "1" | "yes" | "on"` → true, `"false" | "0" | "no" | "off" | ""` → false. */
export function EnvBool(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const lower = value.trim().toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    return value;
  });
}

/** A base-10 integer string → number. */
export function EnvInt(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value));
}

/** A decimal string → number. */
export function EnvNumber(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value));
}

/** `"a, b"` or a JSON array `'["a","b"]'` → string[] (items trimmed, empty ones dropped). */
export function EnvList(): PropertyDecorator {
  return Transform(({ value }) => {
    if (Array.isArray(value)) return value;
    if (typeof value !== 'string') return value;
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        return Array.isArray(parsed) ? parsed.map((item) => (typeof item === 'string' ? item.trim() : item)) : value;
      } catch {
        return value;
      }
    }
    return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
  });
}

/** An empty string means "not set" (e.g. `TOKEN_AUDIENCE=`). */
export function EmptyAsUnset(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));
}

/**
 * Marks a secret: its value is never printed (errors, logs, `toJSON`), and it may be read from
 * the file named by `<NAME>_FILE` (Docker/Kubernetes secrets).
 */
export function Secret(): PropertyDecorator {
  return (target, propertyKey) => {
    const own: string[] = Reflect.getOwnMetadata(SECRET_FIELDS, target) ?? [...(Reflect.getMetadata(SECRET_FIELDS, target) ?? [])];
    own.push(String(propertyKey));
    Reflect.defineMetadata(SECRET_FIELDS, own, target);
  };
}

/** Names of the fields marked `@Secret()` on a settings class and its ancestors. */
export function secretFields(settingsClass: abstract new () => object): ReadonlySet<string> {
  return new Set<string>(Reflect.getMetadata(SECRET_FIELDS, settingsClass.prototype) ?? []);
}
