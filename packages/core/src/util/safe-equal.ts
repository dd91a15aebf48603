import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time string comparison for shared secrets. Both sides are hashed first so that neither
 * the content nor the length of the secret leaks through timing. An empty or missing secret never
 * matches, so an unset `PRIVATE_API_SECRET` cannot be "guessed" with an empty header.
 */
export function safeEqual(given: string | undefined | null, expected: string | undefined | null): boolean {
  if (!given || !expected) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
