/*
 * Per-verification cost, in µs (a measurement script, not a test): jose as usually called, jose
 * with the key imported once, m8's HS256 path (node:crypto + claims), m8's cache hit, RS256/ES256.
 * Run after `tsc -b packages/auth`:  node packages/auth/scripts/measure-verify.cjs
 */
'use strict';
require('reflect-metadata');
const { jwtVerify } = require('jose');
const { Hs256Verifier } = require('../dist/hs256-verifier');
const { JoseVerifier, StaticKeySource } = require('../dist/jose-verifier');
const { TokenVerifier } = require('../dist/token-verifier');
const { TokenFactory } = require('../../testing/dist/tokens');

const SECRET = 'AuthSdkM8-Fixture_TrustedTestKey-2026-DoNotUseInProd!';
const policy = { leewaySeconds: 5, strict: false };

async function time(label, iterations, run) {
  for (let i = 0; i < Math.min(2000, iterations); i += 1) await run(i); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) await run(i);
  const us = Number(process.hrtime.bigint() - started) / 1000 / iterations;
  console.log(`${label.padEnd(52)} ${us.toFixed(2).padStart(8)} µs`);
}

(async () => {
  const hs = TokenFactory.hs256(SECRET);
  const fresh = Array.from({ length: 20000 }, () => hs.mint()); // distinct tokens: no cache hits
  const one = fresh[0];
  const raw = new TextEncoder().encode(SECRET);
  const cryptoKey = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);

  await time('jose jwtVerify HS256, Uint8Array key', 20000, () => jwtVerify(one, raw, { algorithms: ['HS256'] }));
  await time('jose jwtVerify HS256, CryptoKey imported once', 20000, () => jwtVerify(one, cryptoKey, { algorithms: ['HS256'] }));
  const hsCold = new TokenVerifier(new Hs256Verifier(SECRET), policy, 0);
  await time('m8 HS256 node:crypto + claims (no cache)', 20000, (i) => hsCold.verify(fresh[i % fresh.length]));
  const hsWarm = new TokenVerifier(new Hs256Verifier(SECRET), policy, 10000);
  hsWarm.verify(one);
  await time('m8 HS256 cache hit (same token)', 200000, () => hsWarm.verify(one));

  for (const factory of [TokenFactory.rs256(), TokenFactory.es256()]) {
    const keys = new StaticKeySource(factory.publicKeyPem, factory.algorithm);
    await keys.ready();
    const cold = new TokenVerifier(new JoseVerifier(factory.algorithm, keys), policy, 0);
    const tokens = Array.from({ length: 2000 }, () => factory.mint());
    await time(`m8 ${factory.algorithm} jose + claims (no cache)`, 5000, (i) => cold.verify(tokens[i % tokens.length]));
    const warm = new TokenVerifier(new JoseVerifier(factory.algorithm, keys), policy, 10000);
    await warm.verify(tokens[0]);
    await time(`m8 ${factory.algorithm} cache hit`, 200000, () => warm.verify(tokens[0]));
  }
})();
