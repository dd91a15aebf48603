/** Credentials never leave this package in an error message or a health result. */
import { scrubUrlCredentials } from '@m8/core/internal';

const MASK = '***';

/**
 * Masks URL credentials (`scheme://***:***@`) and every occurrence of the given secrets
 * (shorter than 4 characters they are not searched: they would mask ordinary words).
 *
 * @example
 * scrubCredentials('connect to postgresql://me:pw12@db:5432 failed', ['pw12'])
 * // 'connect to postgresql://***:***@db:5432 failed'
 */
export function scrubCredentials(text: string, secrets: readonly string[] = []): string {
  let out = scrubUrlCredentials(text);
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(MASK);
  }
  return out;
}

/** The password of a connection URL, raw and as written, for `scrubCredentials`. */
export function urlSecrets(url: string | undefined, password: string | undefined): string[] {
  const secrets = new Set<string>();
  if (password) {
    secrets.add(password);
    secrets.add(encodeURIComponent(password));
  }
  if (url) {
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^/@]*?:([^/]*)@/i.exec(url);
    const written = match?.[1];
    if (written) {
      secrets.add(written);
      try {
        secrets.add(decodeURIComponent(written));
      } catch {
        // A malformed escape: the written form is already covered.
      }
    }
    secrets.add(url);
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}
