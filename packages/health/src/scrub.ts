/**
 * Keeps secrets out of the detail body: credentials in URLs, `key=value` secrets in messages, and
 * `meta` values under secret-like keys. Health detail is often shown to operators and scraped into
 * dashboards, so a check that echoes its DSN must not publish the password.
 */

import { REDACTED, scrubUrlCredentials } from '@m8/core/internal';

export { REDACTED };

/** Longest error string kept; the rest is cut (messages are for humans, not for dumping payloads). */
const MAX_MESSAGE = 300;
/** Longest text the regexes scan. */
const MAX_SCAN = 4 * MAX_MESSAGE;
/** Nesting kept in `meta`; deeper values become `[Truncated]`. */
const MAX_DEPTH = 8;

// `password=...`, `api_key=...` in DSNs, query strings and driver messages.
const KEY_VALUE_SECRET =
  /\b([a-z0-9_-]*?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|dsn)[a-z0-9_-]*)=([^\s&;,'"]+)/gi;

/** Normalised (lower case, no `_`, `-`, space or `.`) fragments that make a `meta` key secret. */
const SECRET_KEY_PARTS = ['password', 'passwd', 'secret', 'token', 'apikey', 'accesskey', 'privatekey', 'credential', 'dsn'];

/**
 * Masks credentials in a message: `postgres://app:pw@db/x` → `postgres://***:***@db/x`,
 * `password=pw` → `password=REDACTED`; then keeps only the first line (no stack traces) and at
 * most 300 characters.
 */
export function scrubMessage(message: string): string {
  let text = message;
  const newline = text.search(/[\r\n]/);
  if (newline >= 0) text = text.slice(0, newline);
  if (text.length > MAX_SCAN) {
    // Bound the regex work, and cut between words so no URL is kept half (its '@' cut off).
    const space = text.lastIndexOf(' ', MAX_SCAN);
    if (space <= 0) return 'message too long';
    text = text.slice(0, space);
  }
  text = scrubUrlCredentials(text).replace(KEY_VALUE_SECRET, `$1=${REDACTED}`);
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** True when a `meta` key names a secret, in any case, snake, kebab or camel: `dbPassword`, `API_KEY`. */
export function isSecretKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[_\-\s.]/g, '');
  return SECRET_KEY_PARTS.some((part) => normalised.includes(part));
}

/** The message of anything thrown, scrubbed; never its stack or its own properties. */
export function errorMessage(thrown: unknown): string {
  const raw =
    thrown instanceof Error ? thrown.message || thrown.name : typeof thrown === 'string' ? thrown : 'check failed';
  return scrubMessage(raw) || 'check failed';
}

/**
 * A JSON-safe copy of `meta` where values under secret-like keys are `REDACTED`, at any depth, in
 * objects and arrays; strings are scrubbed like messages. Cycles, functions and symbols are dropped
 * or marked, so serialising the result can never throw.
 */
export function redactMeta(meta: unknown): Record<string, unknown> {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return {};
  return redactObject(meta as Record<string, unknown>, 0, new WeakSet());
}

function redactObject(source: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  seen.add(source);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const value = isSecretKey(key) ? REDACTED : redactValue(source[key], depth + 1, seen);
    if (value !== undefined) out[key] = value;
  }
  seen.delete(source);
  return out;
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
      return scrubMessage(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // functions, symbols, undefined: not JSON
  }
  if (value === null) return null;
  if (seen.has(value)) return '[Circular]';
  if (depth > MAX_DEPTH) return '[Truncated]';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Error) return errorMessage(value);
  if (value instanceof URL) return scrubMessage(value.href);
  if (Array.isArray(value)) {
    seen.add(value);
    const items = value.map((item) => {
      const redacted = redactValue(item, depth + 1, seen);
      return redacted === undefined ? null : redacted;
    });
    seen.delete(value);
    return items;
  }
  return redactObject(value as Record<string, unknown>, depth, seen);
}
