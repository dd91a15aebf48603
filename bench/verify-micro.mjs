// The verification path alone, in this process, through @m8/auth's public API (no HTTP): CPU µs per
// `verifyToken()` with one repeated token and with N distinct tokens cycled (N = twice the default
// verification cache), alternated three times, so a cache that degrades after churn shows up.
// Usage: node verify-micro.mjs [--tokens N] [--iterations N]   (after a build)
import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { ConsumerServiceSettings } = require('@m8/core');
const { buildAuthDeps } = require('@m8/auth');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('--tokens', 20_000);
const ITERATIONS = arg('--iterations', 200_000);
const secret = 'bench-verify-micro-secret-0123456789-abcdef';
const settings = ConsumerServiceSettings.load({
  envFile: false,
  env: { PROJECT_NAME: 'verify micro', AUTH_SERVICE_ROLE: 'consumer', TOKEN_MODE: 'stateless', ACCESS_SECRET_KEY: secret, LOG_LEVEL: 'silent' },
});
const auth = buildAuthDeps(settings);

const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
const header = b64({ alg: 'HS256', typ: 'JWT' });
const exp = Math.floor(Date.now() / 1000) + 3600;
const tokens = Array.from({ length: N }, () => {
  const input = `${header}.${b64({ type: 'access', email: 'bench.user@example.com', full_name: 'Bench User', role: 'user', is_active: true, email_verified: true, is_superuser: false, jti: randomUUID(), sub: randomUUID(), iat: exp - 3600, exp })}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
});
// A fresh string per request, as the HTTP parser hands it over (a cache lookup hashes it anew).
const fresh = (t) => Buffer.from(t, 'latin1').toString('latin1');

async function run(label, pick) {
  const before = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) await auth.verifyToken(fresh(pick(i)));
  const used = process.cpuUsage(before);
  const us = (used.user + used.system) / ITERATIONS;
  console.log(`${label.padEnd(9)} ${us.toFixed(2)} µs CPU per verification`);
  return us;
}

const results = { repeated: [], distinct: [] };
for (let round = 0; round < 3; round++) {
  results.repeated.push(await run('repeated', () => tokens[0]));
  results.distinct.push(await run('distinct', (i) => tokens[i % N]));
}
const median = (v) => [...v].sort((a, b) => a - b)[1];
console.log(`median: repeated ${median(results.repeated).toFixed(2)} µs, distinct ${median(results.distinct).toFixed(2)} µs (${N} tokens, ${ITERATIONS} verifications per run)`);
