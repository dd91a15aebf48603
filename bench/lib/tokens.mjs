// Keys and tokens, generated fresh for each run with jose: an HS256 secret, an RSA-2048 and a P-256
// key pair (public halves written as PEM files for the servers), and per algorithm one valid access
// token (reused for every request) and a tampered copy of it, plus `distinct` valid tokens (each with
// its own sub and jti) for the workload where every request carries a different token.
import { createHmac, KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jose from 'jose';

const CLAIMS = {
  type: 'access',
  email: 'bench.user@example.com',
  full_name: 'Bench User',
  role: 'user',
  is_active: true,
  email_verified: true,
  is_superuser: false,
};

/** Signature bytes changed in the middle (never the last base64url char, whose low bits may be ignored). */
export function tamper(token) {
  const [header, payload, signature] = token.split('.');
  const i = Math.floor(signature.length / 2);
  const swapped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${swapped}${signature.slice(i + 1)}`;
}

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * `count` valid tokens signed with node:crypto (jose's async signing would take minutes for RSA):
 * the same header and claims as the main token, each with a fresh `sub` and `jti`.
 */
function signMany(alg, signingKey, count, exp) {
  const header = b64({ alg, typ: 'JWT' });
  const iat = Math.floor(Date.now() / 1000);
  const key = alg === 'HS256' ? undefined : KeyObject.from(signingKey);
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const input = `${header}.${b64({ ...CLAIMS, jti: randomUUID(), sub: randomUUID(), iat, exp })}`;
    const signature =
      alg === 'HS256'
        ? createHmac('sha256', signingKey).update(input).digest('base64url')
        : sign('sha256', Buffer.from(input), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key).toString('base64url');
    tokens.push(`${input}.${signature}`);
  }
  return tokens;
}

/** Writes the public keys into `dir`; returns per algorithm the server env, the two tokens and `distinct` more. */
export async function makeCredentials(dir, algorithms, lifetimeSeconds, distinct = 0) {
  const credentials = {};
  for (const alg of algorithms) {
    let signingKey;
    let env;
    if (alg === 'HS256') {
      const secret = randomBytes(36).toString('base64url'); // 48 characters (≥ 32 required)
      signingKey = new TextEncoder().encode(secret);
      env = { ACCESS_TOKEN_ALGORITHM: alg, ACCESS_SECRET_KEY: secret };
    } else {
      const pair = await jose.generateKeyPair(alg, { modulusLength: 2048, extractable: true });
      const file = join(dir, `${alg.toLowerCase()}-public.pem`);
      writeFileSync(file, await jose.exportSPKI(pair.publicKey));
      signingKey = pair.privateKey;
      env = { ACCESS_TOKEN_ALGORITHM: alg, ACCESS_PUBLIC_KEY_FILE: file };
    }
    const token = await new jose.SignJWT({ ...CLAIMS, jti: randomUUID() })
      .setProtectedHeader({ alg, typ: 'JWT' })
      .setSubject(randomUUID())
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + lifetimeSeconds)
      .sign(signingKey);
    const exp = Math.floor(Date.now() / 1000) + lifetimeSeconds;
    credentials[alg] = { env, token, tampered: tamper(token), distinct: signMany(alg, signingKey, distinct, exp) };
  }
  return credentials;
}
