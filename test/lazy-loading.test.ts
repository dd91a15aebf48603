/**
 * What a service loads is what its settings use (bench/README.md, *Start-up and memory*): jose only for
 * RS256/ES256, ky only for a JWKS key source or an HTTP health check, pino-pretty only for pretty logs.
 * Each case builds a service from the BUILT packages in a fresh Node process and reports which of the
 * three its module cache holds once `bootstrap()` has returned.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childCoverageEnv } from './support/child-coverage';

const root = join(__dirname, '..');
const dist = (name: string): string => join(root, 'packages', name, 'dist', 'index.js');
let dir: string;
let script: string;
let pemFile: string;

interface Loaded {
  readonly jose: boolean;
  readonly ky: boolean;
  readonly pinoPretty: boolean;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'm8-lazy-'));
  pemFile = join(dir, 'public.pem');
  writeFileSync(pemFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
  script = join(dir, 'service.cjs');
  writeFileSync(
    script,
    `require(${JSON.stringify(require.resolve('reflect-metadata'))});
const { bootstrap, ConsumerServiceSettings } = require(${JSON.stringify(dist('core'))});
const { buildAuthDeps } = require(${JSON.stringify(dist('auth'))});
const { HealthConfig, httpDependencyCheck } = require(${JSON.stringify(dist('health'))});
(async () => {
  const settings = ConsumerServiceSettings.load({ envFile: false });
  const checks = process.env.HTTP_CHECK ? [httpDependencyCheck('upstream', 'http://127.0.0.1:9/', { onFailure: 'degraded' })] : [];
  const app = await bootstrap(settings, { controllers: [], plugins: [buildAuthDeps(settings), new HealthConfig({ checks })] });
  const loaded = (name) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + name + '/'));
  process.stderr.write('LOADED ' + JSON.stringify({ jose: loaded('jose'), ky: loaded('ky'), pinoPretty: loaded('pino-pretty') }) + '\\n');
  await app.close();
})().catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function loadedBy(env: Record<string, string>): Loaded {
  const base = { PROJECT_NAME: 'lazy loading', ENVIRONMENT: 'local', AUTH_SERVICE_ROLE: 'consumer', TOKEN_MODE: 'stateless', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };
  const result = spawnSync(process.execPath, [script], { env: { PATH: process.env.PATH, ...childCoverageEnv(), ...base, ...env }, encoding: 'utf8', timeout: 30_000 });
  const line = /LOADED (\{.*\})/.exec(result.stderr);
  if (!line) throw new Error(`the service did not report (exit ${result.status}):\n${result.stderr}`);
  return JSON.parse(line[1]!) as Loaded;
}

describe('modules loaded by what the settings use', () => {
  it('an HS256 service logging JSON loads neither jose, ky nor pino-pretty', () => {
    expect(loadedBy({ ACCESS_SECRET_KEY: 'lazy-loading-secret-0123456789-abcdef' })).toEqual({ jose: false, ky: false, pinoPretty: false });
  });

  it('RS256 with a PEM file loads jose, not ky', () => {
    expect(loadedBy({ ACCESS_TOKEN_ALGORITHM: 'RS256', ACCESS_PUBLIC_KEY_FILE: pemFile })).toEqual({ jose: true, ky: false, pinoPretty: false });
  });

  it('RS256 with a JWKS endpoint loads jose and ky', () => {
    // Nothing answers on port 9: the start-up fetch fails, which is only logged.
    expect(loadedBy({ ACCESS_TOKEN_ALGORITHM: 'RS256', JWKS_URI: 'http://127.0.0.1:9/jwks.json' })).toEqual({ jose: true, ky: true, pinoPretty: false });
  });

  it('pretty logs load pino-pretty; an HTTP health check loads ky', () => {
    expect(loadedBy({ ACCESS_SECRET_KEY: 'lazy-loading-secret-0123456789-abcdef', LOG_FORMAT: 'pretty', HTTP_CHECK: '1' })).toEqual({ jose: false, ky: true, pinoPretty: true });
  });
});
