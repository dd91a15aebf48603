/**
 * The one way m8 hides secrets in what it prints or answers: a value becomes `REDACTED`, and a
 * URL's credentials become `scheme://***:***@` (the shapes docs/interop.md gives for health).
 */

/** What a secret value is replaced with, in settings views, logs and health detail. */
export const REDACTED = 'REDACTED';

/** `user:password@` after a URL scheme, including passwords that themselves contain `@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*(?:@[^\s/?#@]*)*@/gi;

/**
 * Masks the credentials of every URL in `text`.
 *
 * @example
 * scrubUrlCredentials('connect to postgresql://me:pw@db:5432 failed') // 'connect to postgresql://***:***@db:5432 failed'
 */
export function scrubUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***:***@');
}
