// Keys and tokens, generated fresh for each run with jose: an HS256 secret, an RSA-2048 and a P-256
// key pair (public halves written as PEM files for the servers), and per algorithm one valid access
// token (reused for every request) and a tampered copy of it.
import { randomBytes, randomUUID } from 'node:crypto';
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

/** Writes the public keys into `dir`; returns per algorithm the server env and the two tokens. */
export async function makeCredentials(dir, algorithms, lifetimeSeconds) {
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
    credentials[alg] = { env, token, tampered: tamper(token) };
  }
  return credentials;
}
