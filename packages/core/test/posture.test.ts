/**
 * The configuration posture at start (docs/interop.md §8): one aggregated SettingsError in
 * staging/production, warnings elsewhere, the unset-ENVIRONMENT warning, and the new settings'
 * own rules (service token, health credential, trusted hosts).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrap, ConsumerServiceSettings, SettingsError, type M8App, type SettingsProblem } from '@m8/core';
import { estimateEntropyBits } from '../src/settings/posture';

const STRONG = randomBytes(32).toString('base64url');
const STRONG_2 = randomBytes(32).toString('hex');
const DEPLOYED = {
  PROJECT_NAME: 'orders',
  ACCESS_SECRET_KEY: STRONG,
  DOMAIN: 'orders.example.org',
  BACKEND_HOST: 'https://api.orders.example.org',
  FRONTEND_HOST: 'https://orders.example.org',
  SET_OPEN_API: false,
  TOKEN_MODE: 'stateless',
  AUTH_SERVICE_ROLE: 'consumer',
};

function load(values: Record<string, unknown>, envFile: string | false = false): ConsumerServiceSettings {
  return ConsumerServiceSettings.load({ values, env: {}, envFile });
}

function problemsOf(fn: () => unknown): SettingsProblem[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).code).toBe('ERR_M8_SETTINGS');
    return [...(error as SettingsError).problems];
  }
  throw new Error('expected a SettingsError');
}

describe('secret strength', () => {
  it('estimates repetition low and random keys high', () => {
    expect(estimateEntropyBits('a'.repeat(40))).toBe(40);
    expect(estimateEntropyBits('')).toBe(0);
    expect(estimateEntropyBits(randomBytes(32).toString('base64url'))).toBeGreaterThan(200);
    // 16 random bytes in hex: 128 bits of real entropy must not be refused.
    for (let i = 0; i < 200; i++) expect(estimateEntropyBits(randomBytes(16).toString('hex'))).toBeGreaterThanOrEqual(128);
  });

  it.each([
    ['changethis', 'changethis-0123456789abcdefghijklmnopqrstuvwxyz', /contains "changethis"/],
    ['changeme', 'ChangeMe-0123456789abcdefghijklmnopqrstuvwxyzAB', /contains "changeme"/],
    ['local-only', 'xk3-local-only-2hf8QpL0vZ7wY1mN4bR6tS9uE5cA', /contains "local-only"/],
    ['example', 'example-Zq8Lw2Xv9Rt4Ny6Mp1Kb3Jc5Hd7Gf0SeAu', /contains "example"/],
    ['do-not-deploy', 'Zq8Lw2Xv9Rt4Ny6Mp1Kb3Jc5Hd7Gf0-do-not-deploy', /contains "do-not-deploy"/],
    ['low entropy', 'abababababababababababababababababababab', /too weak \(about 80 bits/],
  ])('production refuses a %s secret, naming the variable and never the value', (_label, value, why) => {
    const problems = problemsOf(() => load({ ...DEPLOYED, ENVIRONMENT: 'production', ACCESS_SECRET_KEY: value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.name).toBe('ACCESS_SECRET_KEY');
    expect(problems[0]!.problem).toMatch(why);
    expect(problems[0]!.problem).toContain('(ENVIRONMENT=production)');
    expect(JSON.stringify(problems)).not.toContain(value);
  });

  it('a strong configuration passes in staging and production', () => {
    expect(load({ ...DEPLOYED, ENVIRONMENT: 'production' }).ENVIRONMENT).toBe('production');
    expect(load({ ...DEPLOYED, ENVIRONMENT: 'staging' }).ENVIRONMENT).toBe('staging');
  });
});

describe('one aggregated error in staging and production', () => {
  it.each([['staging'], ['production']])('%s: local defaults, localhost origins, weak secrets and docs together', (ENVIRONMENT) => {
    const problems = problemsOf(() =>
      load({
        PROJECT_NAME: 'orders',
        ENVIRONMENT,
        ACCESS_SECRET_KEY: 'local-only-m8-items-service-secret-do-not-deploy',
        PRIVATE_API_SECRET: STRONG_2,
        HEALTH_DETAIL_CREDENTIAL: STRONG_2,
        BACKEND_CORS_ORIGINS: 'http://127.0.0.1:3000',
      }),
    );
    const names = problems.map((p) => p.name);
    expect(names).toEqual([
      'ACCESS_SECRET_KEY',
      'HEALTH_DETAIL_CREDENTIAL',
      'DOMAIN',
      'BACKEND_HOST',
      'FRONTEND_HOST',
      'BACKEND_CORS_ORIGINS',
      'BACKEND_CORS_ORIGINS',
      ...(ENVIRONMENT === 'staging' ? ['SERVE_DOCS_IN_PRODUCTION'] : []),
    ]);
    expect(problems.find((p) => p.name === 'HEALTH_DETAIL_CREDENTIAL')!.problem).toMatch(/reuses PRIVATE_API_SECRET/);
    expect(problems.filter((p) => p.name === 'BACKEND_CORS_ORIGINS').map((p) => p.problem)).toEqual([
      expect.stringContaining('"http://127.0.0.1:3000"'),
      expect.stringContaining('"http://localhost:5173"'),
    ]);
    expect(JSON.stringify(problems)).not.toContain(STRONG_2);
  });

  it('production: with FRONTEND_HOST unset the localhost origin is refused', () => {
    const { FRONTEND_HOST: _unset, ...rest } = DEPLOYED;
    const problems = problemsOf(() => load({ ...rest, ENVIRONMENT: 'production' }));
    expect(problems.map((p) => p.name)).toEqual(['FRONTEND_HOST', 'BACKEND_CORS_ORIGINS']);
  });

  it('docs served in staging need SERVE_DOCS_IN_PRODUCTION', () => {
    expect(problemsOf(() => load({ ...DEPLOYED, ENVIRONMENT: 'staging', SET_OPEN_API: true })).map((p) => p.name)).toEqual(['SERVE_DOCS_IN_PRODUCTION']);
    expect(load({ ...DEPLOYED, ENVIRONMENT: 'staging', SET_OPEN_API: true, SERVE_DOCS_IN_PRODUCTION: true }).SET_OPEN_API).toBe(true);
  });

  it('local and development accept every finding (they are warnings at start)', () => {
    for (const ENVIRONMENT of ['local', 'development']) {
      const s = load({ PROJECT_NAME: 'orders', ENVIRONMENT, ACCESS_SECRET_KEY: 'changethis'.padEnd(40, 'x'), PRIVATE_API_SECRET: 'p', HEALTH_DETAIL_CREDENTIAL: 'p' });
      expect(s.ENVIRONMENT).toBe(ENVIRONMENT);
    }
  });
});

describe("the example's committed local.env", () => {
  const envFile = join(__dirname, '../../../examples/items-service/local.env');

  it('is refused with ENVIRONMENT=production: its secret is marked local-only', () => {
    const problems = problemsOf(() => ConsumerServiceSettings.load({ values: { ENVIRONMENT: 'production' }, env: {}, envFile }));
    const secret = problems.filter((p) => p.name === 'ACCESS_SECRET_KEY');
    expect(secret).toHaveLength(1);
    expect(secret[0]!.problem).toMatch(/placeholder value \(contains "local-only"\)/);
    expect(JSON.stringify(problems)).not.toContain('do-not-deploy-');
    expect(problems.map((p) => p.name)).toEqual(expect.arrayContaining(['DOMAIN', 'BACKEND_HOST', 'FRONTEND_HOST', 'BACKEND_CORS_ORIGINS']));
  });

  it('is accepted as it is (ENVIRONMENT=local)', () => {
    const s = ConsumerServiceSettings.load({ env: {}, envFile });
    expect(s.ENVIRONMENT).toBe('local');
    expect(s.wasSet('ENVIRONMENT')).toBe(true);
  });
});

describe('rules of the new settings', () => {
  it('SERVICE_TOKEN_URL needs INTERNAL_CLIENT_ID and PRIVATE_API_SECRET', () => {
    const problems = problemsOf(() => load({ PROJECT_NAME: 'orders', ACCESS_SECRET_KEY: STRONG, SERVICE_TOKEN_URL: 'http://issuer:8000/api/v1/internal/service-token' }));
    expect(problems.map((p) => p.name)).toEqual(['INTERNAL_CLIENT_ID', 'PRIVATE_API_SECRET']);
  });

  it('derives the client identity mode', () => {
    const base = { PROJECT_NAME: 'orders', ACCESS_SECRET_KEY: STRONG, PRIVATE_API_SECRET: STRONG_2 };
    expect(load(base).clientIdentityMode).toBe('legacy');
    expect(load({ ...base, INTERNAL_CLIENT_ID: 'orders' }).clientIdentityMode).toBe('bootstrap');
    const token = load({ ...base, INTERNAL_CLIENT_ID: 'orders', SERVICE_TOKEN_URL: 'http://issuer/t', SERVICE_TOKEN_SCOPES: 'a, b' });
    expect(token.clientIdentityMode).toBe('service_token');
    expect(token.SERVICE_TOKEN_SCOPES).toEqual(['a', 'b']);
    expect(token.SERVICE_TOKEN_REFRESH_LEEWAY_SECONDS).toBe(30);
    expect(problemsOf(() => load({ ...base, SERVICE_TOKEN_REFRESH_LEEWAY_SECONDS: '-1' })).map((p) => p.name)).toEqual(['SERVICE_TOKEN_REFRESH_LEEWAY_SECONDS']);
  });

  it('ALLOWED_HOSTS takes host names, *.wildcards and *, nothing else', () => {
    expect(load({ PROJECT_NAME: 'o', ACCESS_SECRET_KEY: STRONG, ALLOWED_HOSTS: 'api.example.org, *.example.org' }).ALLOWED_HOSTS).toEqual(['api.example.org', '*.example.org']);
    expect(load({ PROJECT_NAME: 'o', ACCESS_SECRET_KEY: STRONG, ALLOWED_HOSTS: '*' }).ALLOWED_HOSTS).toEqual(['*']);
    for (const bad of ['http://api.example.org', 'api.example.org:8000', 'a*.example.org', '*example.org', 'api example']) {
      expect(problemsOf(() => load({ PROJECT_NAME: 'o', ACCESS_SECRET_KEY: STRONG, ALLOWED_HOSTS: bad })).map((p) => p.name)).toEqual(['ALLOWED_HOSTS']);
    }
  });

  it('the health credential is a secret: never serialised', () => {
    const s = load({ PROJECT_NAME: 'o', ACCESS_SECRET_KEY: STRONG, HEALTH_DETAIL_CREDENTIAL: STRONG_2 });
    expect(JSON.stringify(s)).not.toContain(STRONG_2);
  });
});

describe('warnings at start', () => {
  const apps: M8App[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function startLogs(values: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const settings = load({ TOKEN_MODE: 'stateless', AUTH_SERVICE_ROLE: 'consumer', LOG_LEVEL: 'info', ...values });
    const logs: Record<string, unknown>[] = [];
    const app = await bootstrap(settings, {
      controllers: [],
      logger: { destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } },
    });
    apps.push(app);
    await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    return logs;
  }

  it('an unset ENVIRONMENT runs as local and says so; the local findings are one warning', async () => {
    const logs = await startLogs({ PROJECT_NAME: 'orders', ACCESS_SECRET_KEY: 'changethis'.padEnd(40, 'x') });
    const unset = logs.filter((line) => line.event === 'environment_unset');
    expect(unset).toHaveLength(1);
    expect(unset[0]).toMatchObject({ level: 'warn', environment: 'local' });
    const posture = logs.filter((line) => line.event === 'configuration_posture');
    expect(posture).toHaveLength(1);
    expect(posture[0]!.findings).toEqual([
      expect.stringMatching(/^ACCESS_SECRET_KEY: holds a placeholder value/),
      'DOMAIN: is left at its local default "localhost"',
      'BACKEND_HOST: is left at its local default "http://localhost:8000"',
      'FRONTEND_HOST: is left at its local default "http://localhost:5173"',
      expect.stringMatching(/^BACKEND_CORS_ORIGINS: allows the local origin "http:\/\/localhost:5173"/),
    ]);
    expect(JSON.stringify(logs)).not.toContain('changethisxxx');
  });

  it('ENVIRONMENT set: no unset warning; a clean configuration: no posture warning', async () => {
    const logs = await startLogs({ ...DEPLOYED, ENVIRONMENT: 'production' });
    expect(logs.filter((line) => line.event === 'environment_unset' || line.event === 'configuration_posture')).toEqual([]);
    expect(logs.some((line) => line.event === 'starting')).toBe(true);
  });
});
