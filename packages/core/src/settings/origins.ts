/** CORS origin normalisation (docs/interop.md §5): trimmed, no trailing '/', `http(s)://host[:port]` only. */
const ORIGIN = /^https?:\/\/[^\s/?#@]+(:\d{1,5})?$/i;

export interface DerivedOrigins {
  readonly origins: readonly string[];
  readonly invalid: readonly string[];
}

export function normaliseOrigin(raw: string): string {
  return raw.trim().replace(/\/+$/, '');
}

export function deriveAllowedOrigins(configured: readonly string[], frontendHost: string | undefined): DerivedOrigins {
  const origins: string[] = [];
  const invalid: string[] = [];
  const candidates = frontendHost ? [...configured, frontendHost] : configured;
  for (const raw of candidates) {
    const origin = normaliseOrigin(String(raw));
    if (origin === '*' || origin.toLowerCase() === 'null' || !ORIGIN.test(origin)) invalid.push(origin);
    else if (!origins.includes(origin)) origins.push(origin);
  }
  return { origins, invalid };
}
