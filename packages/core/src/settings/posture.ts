/**
 * The configuration posture (docs/interop.md §8): what a deployed service must not run with. In
 * `staging`/`production` each finding is a start-up error (they join the other problems of
 * `load()`); elsewhere `bootstrap()` logs them as warnings. No finding carries a secret's value.
 */
import type { ConsumerServiceSettings } from './consumer-settings';
import { secretFields } from './env-types';
import type { SettingsProblem } from './settings-error';

/** Markers of a value written for examples or local work, in any case. */
const PLACEHOLDER_MARKERS = ['changethis', 'changeme', 'change-me', 'local-only', 'example', 'do-not-deploy'];

/** Below this estimate a secret is guessable (~128 bits, what `openssl rand -hex 32` far exceeds). */
export const MIN_SECRET_ENTROPY_BITS = 128;

/** Secrets that are not free-form keys: a URL is judged by what it contains, not by its entropy. */
const NOT_ENTROPY_CHECKED = new Set(['DATABASE_URL']);

/** The local defaults a deployed service must replace. */
const LOCAL_DEFAULTS = {
  DOMAIN: 'localhost',
  BACKEND_HOST: 'http://localhost:8000',
  FRONTEND_HOST: 'http://localhost:5173',
} as const;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Estimated entropy of `value` in bits: its length times the bits a character can carry, which is
 * the smaller of the alphabet its character classes span (lower, upper, digits, others) and one
 * bit more than its own count of distinct characters. So repetition scores low (`aaaa…` carries 1
 * bit a character), while random hex of 16 bytes (133 or more) and base64 of 32 bytes (~250) pass.
 */
export function estimateEntropyBits(value: string): number {
  const chars = [...value];
  let pool = 0;
  if (/[a-z]/.test(value)) pool += 26;
  if (/[A-Z]/.test(value)) pool += 26;
  if (/[0-9]/.test(value)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(value)) pool += 33;
  if (pool === 0) return 0;
  const distinct = new Set(chars).size;
  return chars.length * Math.min(Math.log2(pool), Math.log2(distinct) + 1);
}

/** Why a secret's value is unfit for a deployed service, or undefined when it is fit. */
export function weakSecretReason(name: string, value: string): string | undefined {
  const lower = value.toLowerCase();
  const marker = PLACEHOLDER_MARKERS.find((m) => lower.includes(m));
  if (marker !== undefined) return `holds a placeholder value (contains "${marker}"); set a real secret`;
  if (NOT_ENTROPY_CHECKED.has(name)) return undefined;
  const bits = Math.floor(estimateEntropyBits(value));
  if (bits < MIN_SECRET_ENTROPY_BITS) {
    return `is too weak (about ${bits} bits of estimated entropy, ${MIN_SECRET_ENTROPY_BITS} needed); generate one with \`openssl rand -hex 32\``;
  }
  return undefined;
}

function secretFindings(s: ConsumerServiceSettings): SettingsProblem[] {
  const values = s as unknown as Record<string, unknown>;
  const findings: SettingsProblem[] = [];
  for (const name of secretFields(s.constructor as new () => object)) {
    const value = values[name];
    if (typeof value !== 'string' || value === '') continue;
    const reason = weakSecretReason(name, value);
    if (reason !== undefined) findings.push({ name, problem: reason });
  }
  return findings;
}

function localDefaultFindings(s: ConsumerServiceSettings): SettingsProblem[] {
  return (Object.keys(LOCAL_DEFAULTS) as (keyof typeof LOCAL_DEFAULTS)[])
    .filter((name) => s[name] === LOCAL_DEFAULTS[name])
    .map((name) => ({ name, problem: `is left at its local default "${LOCAL_DEFAULTS[name]}"` }));
}

function localOriginFindings(s: ConsumerServiceSettings): SettingsProblem[] {
  return s.allowedOrigins
    .filter((origin) => LOCAL_HOSTS.has(new URL(origin).hostname))
    .map((origin) => ({ name: 'BACKEND_CORS_ORIGINS', problem: `allows the local origin "${origin}" (from BACKEND_CORS_ORIGINS or FRONTEND_HOST)` }));
}

/**
 * Docs served in a deployed environment must be asked for. In production the docs toggles already
 * turn them off without `SERVE_DOCS_IN_PRODUCTION`, so only `staging` can serve them by accident.
 */
function docsFindings(s: ConsumerServiceSettings): SettingsProblem[] {
  if (s.ENVIRONMENT !== 'staging' || !s.SET_OPEN_API || s.SERVE_DOCS_IN_PRODUCTION) return [];
  return [{ name: 'SERVE_DOCS_IN_PRODUCTION', problem: `is not set but the API docs are served in ${s.ENVIRONMENT}; set it, or SET_OPEN_API=false` }];
}

function healthCredentialFindings(s: ConsumerServiceSettings): SettingsProblem[] {
  if (!s.HEALTH_DETAIL_CREDENTIAL || s.HEALTH_DETAIL_CREDENTIAL !== s.PRIVATE_API_SECRET) return [];
  return [{ name: 'HEALTH_DETAIL_CREDENTIAL', problem: 'reuses PRIVATE_API_SECRET; give the health view a credential of its own' }];
}

/**
 * Every posture finding of `s`, whatever the environment (the caller decides error or warning).
 * The docs finding only applies to `staging`/`production`.
 */
export function postureFindings(s: ConsumerServiceSettings): SettingsProblem[] {
  return [...secretFindings(s), ...healthCredentialFindings(s), ...localDefaultFindings(s), ...localOriginFindings(s), ...docsFindings(s)];
}
