import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IsString, MinLength } from 'class-validator';
import { ConsumerServiceSettings, EnvInt, Secret, SettingsError, type SettingsProblem } from '@m8/core';

const SECRET = 'a-very-secret-key-that-is-long-enough-1234';
const dir = mkdtempSync(join(tmpdir(), 'm8-settings-'));
const base = { PROJECT_NAME: 'svc', ACCESS_SECRET_KEY: SECRET };
/** What a deployed service sets so that only the value under test is a posture finding. */
const DEPLOYED = { PROJECT_NAME: 'svc', DOMAIN: 'orders.example.org', BACKEND_HOST: 'https://api.orders.example.org', FRONTEND_HOST: 'https://orders.example.org', SET_OPEN_API: false };

function load(values: Record<string, unknown>, env: Record<string, string> = {}, envFile: string | false = false) {
  return ConsumerServiceSettings.load({ values, env, envFile });
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

function pem(kind: 'rsa' | 'ec', opts: Record<string, unknown>): string {
  const { publicKey } = generateKeyPairSync(kind as 'rsa', opts as never);
  const path = join(dir, `${kind}-${JSON.stringify(opts).replace(/\W/g, '')}.pem`);
  writeFileSync(path, (publicKey as unknown as { export(o: object): string }).export({ type: 'spki', format: 'pem' }));
  return path;
}

describe('defaults and types', () => {
  it('fills every contract default', () => {
    const s = load(base);
    expect(s).toMatchObject({
      ENVIRONMENT: 'local', API_PREFIX: '/api', AUTH_PREFIX: '/auth', TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'issuer',
      ACCESS_TOKEN_ALGORITHM: 'HS256', JWKS_CACHE_TTL_SECONDS: 300, ACCESS_TOKEN_EXPIRE_MINUTES: 30, REFRESH_TOKEN_EXPIRE_MINUTES: 120,
      ACCESS_REVOCATION_FAILURE_MODE: 'fail_closed', INVALID_TOKEN_STATUS: 401, SELECTED_DB: 'Mysql', TABLES_PREFIX: 'app',
      METRICS_ENABLED: false, SET_OPEN_API: true, SET_DOCS: true, SET_REDOC: true, SERVE_DOCS_IN_PRODUCTION: false,
      REVOCATION_CACHE_TTL_SECONDS: 0, PORT: 8000,
    });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('converts env strings: booleans, integers, lists (comma or JSON)', () => {
    const s = load(base, { METRICS_ENABLED: 'true', SET_DOCS: '0', PORT: '9000', INVALID_TOKEN_STATUS: '403', BACKEND_CORS_ORIGINS: '["https://a.example.com", "http://b.example.com:8080/"]', METRICS_GROUPS: 'traffic, auth' });
    expect(s.METRICS_ENABLED).toBe(true);
    expect(s.SET_DOCS).toBe(false);
    expect(s.PORT).toBe(9000);
    expect(s.INVALID_TOKEN_STATUS).toBe(403);
    expect(s.allowedOrigins).toEqual(['https://a.example.com', 'http://b.example.com:8080', 'http://localhost:5173']);
    expect([...s.metricsGroups]).toEqual(['traffic', 'auth']);
  });

  it('treats an empty TOKEN_AUDIENCE as unset', () => {
    expect(load({ ...base, TOKEN_AUDIENCE: '', TOKEN_ISSUER: '' }).TOKEN_AUDIENCE).toBeUndefined();
  });
});

describe('loading order: explicit > environment > .env file', () => {
  const envFile = join(dir, 'test.env');
  writeFileSync(envFile, `PROJECT_NAME="From file"\nDOMAIN=file.example.com\nSTACK_NAME=file-stack\nACCESS_SECRET_KEY=${SECRET}\n`);

  it('reads the .env file, lets the environment beat it and explicit values beat both', () => {
    const s = ConsumerServiceSettings.load({ envFile, env: { DOMAIN: 'env.example.com', STACK_NAME: 'env-stack' }, values: { STACK_NAME: 'explicit' } });
    expect(s.PROJECT_NAME).toBe('From file');
    expect(s.DOMAIN).toBe('env.example.com');
    expect(s.STACK_NAME).toBe('explicit');
  });

  it('reports an explicitly named .env file that does not exist', () => {
    expect(problemsOf(() => ConsumerServiceSettings.load({ envFile: join(dir, 'missing.env'), values: base, env: {} })).map((p) => p.name)).toEqual(['envFile']);
  });

  it('reads a secret from <NAME>_FILE', () => {
    const secretFile = join(dir, 'secret.txt');
    writeFileSync(secretFile, `${SECRET}\n`);
    const s = load({ PROJECT_NAME: 'svc' }, { ACCESS_SECRET_KEY_FILE: secretFile });
    expect(s.ACCESS_SECRET_KEY).toBe(SECRET);
    expect(problemsOf(() => load({ PROJECT_NAME: 'svc' }, { ACCESS_SECRET_KEY_FILE: join(dir, 'nope') })).map((p) => p.name)).toContain('ACCESS_SECRET_KEY_FILE');
  });
});

describe('every rule, reported together', () => {
  it('lists every problem in one error and never prints a secret value', () => {
    const shortSecret = 'short-secret-value';
    let message = '';
    const problems = problemsOf(() => {
      try {
        load({ ENVIRONMENT: 'prod', ACCESS_SECRET_KEY: shortSecret, PORT: 'eighty', TOKEN_MODE: 'sometimes', BACKEND_CORS_ORIGINS: '*,null,ftp://x.example.com', DB_PASSWORD: 'hunter2-password' });
      } catch (error) {
        message = (error as Error).message;
        throw error;
      }
    });
    const names = problems.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['PROJECT_NAME', 'ENVIRONMENT', 'ACCESS_SECRET_KEY', 'PORT', 'TOKEN_MODE', 'BACKEND_CORS_ORIGINS']));
    expect(problems.filter((p) => p.name === 'BACKEND_CORS_ORIGINS')).toHaveLength(3);
    expect(message).toMatch(/Invalid ConsumerServiceSettings \(\d+ problems\)/);
    expect(message).toContain('ENVIRONMENT: must be one of the following values');
    expect(message).toContain('(got "prod")');
    expect(message).not.toContain(shortSecret);
    expect(message).not.toContain('hunter2');
  });

  it('HS256 needs ACCESS_SECRET_KEY of at least 32 characters', () => {
    expect(problemsOf(() => load({ PROJECT_NAME: 'svc' }))).toEqual([{ name: 'ACCESS_SECRET_KEY', problem: 'is required when ACCESS_TOKEN_ALGORITHM=HS256' }]);
    expect(problemsOf(() => load({ PROJECT_NAME: 'svc', ACCESS_SECRET_KEY: 'x'.repeat(31) }))[0]!.problem).toMatch(/32 characters/);
  });

  it('RS256/ES256 need a key file or JWKS_URI, and the key must fit', () => {
    const rs = { PROJECT_NAME: 'svc', ACCESS_TOKEN_ALGORITHM: 'RS256' };
    expect(problemsOf(() => load(rs)).map((p) => p.name)).toEqual(['ACCESS_PUBLIC_KEY_FILE']);
    expect(load({ ...rs, JWKS_URI: 'https://issuer.example.com/.well-known/jwks.json' }).JWKS_URI).toBe('https://issuer.example.com/.well-known/jwks.json');
    const rsaFile = pem('rsa', { modulusLength: 2048 });
    expect(load({ ...rs, ACCESS_PUBLIC_KEY_FILE: rsaFile }).ACCESS_PUBLIC_KEY_FILE).toBe(rsaFile);
    expect(problemsOf(() => load({ ...rs, ACCESS_PUBLIC_KEY_FILE: join(dir, 'absent.pem') }))[0]!.problem).toMatch(/cannot read/);
    expect(problemsOf(() => load({ ...rs, ACCESS_PUBLIC_KEY_FILE: pem('rsa', { modulusLength: 1024 }) }))[0]!.problem).toMatch(/1024-bit.*at least 2048/);
    expect(problemsOf(() => load({ ...rs, ACCESS_PUBLIC_KEY_FILE: pem('ec', { namedCurve: 'P-256' }) }))[0]!.problem).toMatch(/RSA key/);
    const es = { PROJECT_NAME: 'svc', ACCESS_TOKEN_ALGORITHM: 'ES256' };
    expect(load({ ...es, ACCESS_PUBLIC_KEY_FILE: pem('ec', { namedCurve: 'P-256' }) }).ACCESS_TOKEN_ALGORITHM).toBe('ES256');
    expect(problemsOf(() => load({ ...es, ACCESS_PUBLIC_KEY_FILE: pem('ec', { namedCurve: 'P-384' }) }))[0]!.problem).toMatch(/P-256/);
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a key');
    expect(problemsOf(() => load({ ...rs, ACCESS_PUBLIC_KEY_FILE: garbage }))[0]!.problem).toMatch(/no PEM public key/);
  });

  it('a stateful consumer needs INTROSPECTION_URL and PRIVATE_API_SECRET', () => {
    const problems = problemsOf(() => load({ ...base, TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'consumer' }));
    expect(problems.map((p) => p.name)).toEqual(['INTROSPECTION_URL', 'PRIVATE_API_SECRET']);
    expect(load({ ...base, TOKEN_MODE: 'stateless', AUTH_SERVICE_ROLE: 'consumer' }).checksRevocation).toBe(false);
    expect(load({ ...base, TOKEN_MODE: 'hybrid', AUTH_SERVICE_ROLE: 'consumer' }).checksRevocation).toBe(false);
  });

  it('the strict profile needs TOKEN_ISSUER and TOKEN_AUDIENCE', () => {
    expect(problemsOf(() => load({ ...base, TOKEN_STRICT_VALIDATION: 'true' })).map((p) => p.name)).toEqual(['TOKEN_ISSUER', 'TOKEN_AUDIENCE']);
  });

  it('refuses placeholder secrets in staging and production only', () => {
    const placeholder = { ...DEPLOYED, ACCESS_SECRET_KEY: 'changethis'.padEnd(40, 'x'), PRIVATE_API_SECRET: 'change-me-please' };
    expect(load({ ...placeholder, ENVIRONMENT: 'local' }).ENVIRONMENT).toBe('local');
    for (const ENVIRONMENT of ['staging', 'production']) {
      const problems = problemsOf(() => load({ ...placeholder, ENVIRONMENT }));
      expect(problems.map((p) => p.name).sort()).toEqual(['ACCESS_SECRET_KEY', 'PRIVATE_API_SECRET']);
      expect(JSON.stringify(problems)).not.toContain('change-me-please');
    }
  });

  it('validates URLs, enums and ranges', () => {
    const names = problemsOf(() => load({ ...base, BACKEND_HOST: 'not a url', ACCESS_TOKEN_ALGORITHM: 'none', ACCESS_REVOCATION_FAILURE_MODE: 'maybe', INVALID_TOKEN_STATUS: '500', SELECTED_DB: 'Oracle', METRICS_GROUPS: 'traffic,bogus', API_PREFIX: 'api v1', REVOCATION_CACHE_TTL_SECONDS: '-1' })).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['BACKEND_HOST', 'ACCESS_TOKEN_ALGORITHM', 'ACCESS_REVOCATION_FAILURE_MODE', 'INVALID_TOKEN_STATUS', 'SELECTED_DB', 'METRICS_GROUPS', 'API_PREFIX', 'REVOCATION_CACHE_TTL_SECONDS']));
  });
});

describe('derived values', () => {
  it('derives the database URL with an escaped password, and lets DATABASE_URL override it', () => {
    const s = load({ ...base, SELECTED_DB: 'Postgres', DB_HOST: 'db', DB_USER: 'app', DB_PASSWORD: 'p@ss:w/rd%+', DB_DATABASE: 'items' });
    expect(s.databaseUrl).toBe('postgresql://app:p%40ss%3Aw%2Frd%25%2B@db:5432/items');
    expect(new URL(s.databaseUrl).password).toBe('p%40ss%3Aw%2Frd%25%2B');
    expect(decodeURIComponent(new URL(s.databaseUrl).password)).toBe('p@ss:w/rd%+');
    expect(load({ ...base, SELECTED_DB: 'Mysql', DB_HOST: 'h', DB_PORT: '3307', DB_USER: 'u', DB_DATABASE: 'd' }).databaseUrl).toBe('mysql://u@h:3307/d');
    expect(load({ ...base, DATABASE_URL: 'postgresql://x@y/z' }).databaseUrl).toBe('postgresql://x@y/z');
    expect(load({ ...base, SELECTED_DB: 'Sqlite', DB_DATABASE: ':memory:' }).databaseUrl).toBe('sqlite::memory:');
  });

  it('derives isStateless / isStateful and a normalised API prefix', () => {
    expect(load({ ...base, TOKEN_MODE: 'stateless' }).isStateless).toBe(true);
    expect(load({ ...base, TOKEN_MODE: 'stateful' }).isStateful).toBe(true);
    expect(load({ ...base, API_PREFIX: '/api/v1/' }).apiPrefix).toBe('/api/v1');
    expect(load({ ...base, API_PREFIX: '' }).apiPrefix).toBe('');
  });

  it('never serialises a secret', () => {
    const json = JSON.stringify(load({ ...base, DB_PASSWORD: 'db-password-value' }));
    expect(json).not.toContain(SECRET);
    expect(json).not.toContain('db-password-value');
    expect(JSON.parse(json).PROJECT_NAME).toBe('svc');
  });
});

describe('subclassing', () => {
  class AppSettings extends ConsumerServiceSettings {
    @IsString() @MinLength(3) GREETING = 'hello';
    @EnvInt() MAX_ITEMS = 10;
    @Secret() @IsString() @MinLength(8) PARTNER_API_KEY = 'default-partner-key';
  }

  it('adds typed fields loaded from the same sources', () => {
    const s = AppSettings.load({ values: base, env: { GREETING: 'howdy', MAX_ITEMS: '25' }, envFile: false });
    expect(s).toBeInstanceOf(AppSettings);
    expect(s.GREETING).toBe('howdy');
    expect(s.MAX_ITEMS).toBe(25);
  });

  it('reports its own problems with the contract ones, secrets hidden', () => {
    const problems = problemsOf(() => AppSettings.load({ values: {}, env: { GREETING: 'yo', PARTNER_API_KEY: 'short' }, envFile: false }));
    expect(problems.map((p) => p.name)).toEqual(expect.arrayContaining(['GREETING', 'PARTNER_API_KEY', 'PROJECT_NAME']));
    expect(JSON.stringify(problems)).not.toContain('"short"');
  });
});
