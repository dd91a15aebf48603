/** Rules that involve more than one field (docs/interop.md §5), each reported without secret values. */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ConsumerServiceSettings } from './consumer-settings';
import { deriveAllowedOrigins } from './origins';
import { postureFindings } from './posture';
import type { SettingsProblem } from './settings-error';

export function checkCrossFieldRules(s: ConsumerServiceSettings): SettingsProblem[] {
  return [...keyProblems(s), ...revocationProblems(s), ...strictProfileProblems(s), ...originProblems(s), ...identityProblems(s), ...timeoutProblems(s), ...postureProblems(s)];
}

function keyProblems(s: ConsumerServiceSettings): SettingsProblem[] {
  const alg = s.ACCESS_TOKEN_ALGORITHM;
  if (alg === 'HS256') {
    return s.ACCESS_SECRET_KEY ? [] : [{ name: 'ACCESS_SECRET_KEY', problem: 'is required when ACCESS_TOKEN_ALGORITHM=HS256' }];
  }
  if (s.JWKS_URI) return []; // JWKS wins over a key file (docs/interop.md §1)
  if (!s.ACCESS_PUBLIC_KEY_FILE) {
    return [{ name: 'ACCESS_PUBLIC_KEY_FILE', problem: `or JWKS_URI is required when ACCESS_TOKEN_ALGORITHM=${alg}` }];
  }
  const problem = publicKeyFileProblem(s.ACCESS_PUBLIC_KEY_FILE, alg);
  return problem ? [{ name: 'ACCESS_PUBLIC_KEY_FILE', problem }] : [];
}

/** Why a PEM file cannot verify `alg` tokens, or undefined when it can. */
export function publicKeyFileProblem(path: string, alg: 'RS256' | 'ES256'): string | undefined {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch {
    return `cannot read the file "${path}"; expected a readable PEM public key`;
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return `"${path}" holds no PEM public key`;
  }
  const details = key.asymmetricKeyDetails ?? {};
  if (alg === 'RS256') {
    if (key.asymmetricKeyType !== 'rsa') return `"${path}" is a ${key.asymmetricKeyType} key; RS256 needs an RSA key`;
    if ((details.modulusLength ?? 0) < 2048) return `"${path}" is a ${details.modulusLength}-bit RSA key; RS256 needs at least 2048 bits`;
    return undefined;
  }
  if (key.asymmetricKeyType !== 'ec' || details.namedCurve !== 'prime256v1') {
    return `"${path}" is not an EC P-256 key; ES256 needs one`;
  }
  return undefined;
}

function revocationProblems(s: ConsumerServiceSettings): SettingsProblem[] {
  if (!s.checksRevocation) return [];
  const why = 'is required for a stateful consumer (TOKEN_MODE=stateful, AUTH_SERVICE_ROLE=consumer)';
  const problems: SettingsProblem[] = [];
  if (!s.INTROSPECTION_URL) problems.push({ name: 'INTROSPECTION_URL', problem: why });
  if (!s.PRIVATE_API_SECRET) problems.push({ name: 'PRIVATE_API_SECRET', problem: why });
  return problems;
}

function strictProfileProblems(s: ConsumerServiceSettings): SettingsProblem[] {
  if (!s.TOKEN_STRICT_VALIDATION) return [];
  return (['TOKEN_ISSUER', 'TOKEN_AUDIENCE'] as const)
    .filter((name) => !s[name])
    .map((name) => ({ name, problem: 'is required when TOKEN_STRICT_VALIDATION=true' }));
}

function originProblems(s: ConsumerServiceSettings): SettingsProblem[] {
  const { invalid } = deriveAllowedOrigins(s.BACKEND_CORS_ORIGINS, s.FRONTEND_HOST);
  return invalid.map((origin) => ({
    name: 'BACKEND_CORS_ORIGINS',
    problem: `"${origin}" is not an origin; expected http(s)://host[:port] ("*" and "null" are refused)`,
  }));
}

/** The service-token exchange authenticates with the bootstrap headers: client id and secret. */
function identityProblems(s: ConsumerServiceSettings): SettingsProblem[] {
  if (!s.SERVICE_TOKEN_URL) return [];
  const problems: SettingsProblem[] = [];
  if (!s.INTERNAL_CLIENT_ID) problems.push({ name: 'INTERNAL_CLIENT_ID', problem: 'is required when SERVICE_TOKEN_URL is set' });
  if (!s.PRIVATE_API_SECRET) problems.push({ name: 'PRIVATE_API_SECRET', problem: 'is required when SERVICE_TOKEN_URL is set (it authenticates the exchange)' });
  return problems;
}

/** In `staging`/`production` the posture findings are errors; elsewhere `bootstrap()` logs them. */
function postureProblems(s: ConsumerServiceSettings): SettingsProblem[] {
  if (!s.isProductionLike) return [];
  return postureFindings(s).map((f) => ({ name: f.name, problem: `${f.problem} (ENVIRONMENT=${s.ENVIRONMENT})` }));
}

/** Node refuses a headers timeout longer than the whole-request timeout. */
function timeoutProblems(s: ConsumerServiceSettings): SettingsProblem[] {
  if (s.HEADERS_TIMEOUT_SECONDS <= s.REQUEST_TIMEOUT_SECONDS) return [];
  return [{ name: 'HEADERS_TIMEOUT_SECONDS', problem: `must be at most REQUEST_TIMEOUT_SECONDS (${s.REQUEST_TIMEOUT_SECONDS})` }];
}
