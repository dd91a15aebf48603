/**
 * What a deployed service answers over real HTTP (docs/interop.md §8): trusted hosts checked before
 * any route, tiered security headers with their switch and opt-ins, and `{API_PREFIX}/meta`.
 */
import { request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Get, JsonController } from 'routing-controllers';
import { HealthConfig } from '@m8/health';
import { createTestSettings, startTestApp, type TestApp } from '@m8/testing';
import type { ConsumerServiceSettings } from '@m8/core';

@JsonController('/things')
class ThingsController {
  @Get('/')
  list() {
    return [{ id: 1 }];
  }
}

const DEPLOYED = {
  ACCESS_SECRET_KEY: randomBytes(32).toString('base64url'),
  DOMAIN: 'orders.example.org',
  BACKEND_HOST: 'https://api.orders.example.org',
  FRONTEND_HOST: 'https://orders.example.org',
  SET_OPEN_API: false,
};

const open: TestApp<ConsumerServiceSettings>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});
async function start(values: Record<string, unknown>): Promise<TestApp<ConsumerServiceSettings>> {
  // Health is listed so that the host check is seen guarding internal routes too.
  const t = await startTestApp({ settings: createTestSettings(values), controllers: [ThingsController], plugins: [new HealthConfig()] });
  open.push(t);
  return t;
}

function middlewareNames(t: TestApp<ConsumerServiceSettings>): string[] {
  return (t.app.koa as unknown as { middleware: { name: string }[] }).middleware.map((m) => m.name);
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** GET with a `Host` header of our choosing (fetch does not let one set it). */
function get(base: string, path: string, host?: string): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host === undefined ? {} : { host }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ALLOWED_HOSTS', () => {
  it('answers 400 {"detail":"Invalid host header"} to an unlisted host, before any route', async () => {
    const t = await start({ ...DEPLOYED, ENVIRONMENT: 'production', ALLOWED_HOSTS: 'api.orders.example.org, *.internal.example.org' });
    for (const path of ['/api/things/', '/api/health/', '/api/ping', '/api/nope']) {
      const answer = await get(t.url, path, 'evil.example.com');
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ detail: 'Invalid host header' });
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
    expect((await get(t.url, '/api/things/', 'api.orders.example.org')).status).toBe(200);
    expect((await get(t.url, '/api/things/', 'API.Orders.Example.org:443')).status).toBe(200);
    expect((await get(t.url, '/api/ping', 'pod-7.internal.example.org:8000')).status).toBe(200);
    expect((await get(t.url, '/api/ping', 'a.b.internal.example.org')).status).toBe(200);
    // A wildcard covers subdomains, not the apex, and not look-alike suffixes.
    expect((await get(t.url, '/api/ping', 'internal.example.org')).status).toBe(400);
    expect((await get(t.url, '/api/ping', 'evilinternal.example.org')).status).toBe(400);
    // In production localhost is not implied.
    expect((await get(t.url, '/api/ping', 'localhost')).status).toBe(400);
    expect((await get(t.url, '/api/ping', '127.0.0.1')).status).toBe(400);
  });

  it('outside production localhost and 127.0.0.1 are always allowed', async () => {
    for (const ENVIRONMENT of ['local', 'staging']) {
      const t = await start({ ...DEPLOYED, ENVIRONMENT, ALLOWED_HOSTS: 'api.orders.example.org' });
      expect((await get(t.url, '/api/ping')).status).toBe(200); // Host: 127.0.0.1:<port>
      expect((await get(t.url, '/api/ping', 'localhost:8000')).status).toBe(200);
      expect((await get(t.url, '/api/ping', 'elsewhere.example.org')).status).toBe(400);
    }
  });

  it('empty (the default): any host is served, and no check is mounted', async () => {
    const t = await start({});
    expect((await get(t.url, '/api/things/', 'anything.example.com')).status).toBe(200);
    expect(middlewareNames(t)).not.toContain('trustedHosts');
  });

  it('sits right after the error layer (its 400 is a JSON answer) and before every route', async () => {
    const t = await start({ ALLOWED_HOSTS: 'api.orders.example.org' });
    const names = middlewareNames(t);
    expect(names.slice(names.indexOf('errorLayer'), names.indexOf('errorLayer') + 3)).toEqual(['errorLayer', 'trustedHosts', 'internalRoutes']);
  });
});

describe('security headers, tiered', () => {
  const headersOf = async (values: Record<string, unknown>, path = '/api/things/'): Promise<Answer['headers']> => {
    const t = await start(values);
    return (await get(t.url, path)).headers;
  };

  it('local: nosniff and DENY only, even with HSTS and CSP asked for', async () => {
    const headers = await headersOf({ SECURITY_HSTS_ENABLED: true, SECURITY_CSP_ENABLED: true });
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    for (const name of ['referrer-policy', 'permissions-policy', 'strict-transport-security', 'content-security-policy']) expect(headers[name]).toBeUndefined();
  });

  it.each([['staging'], ['production']])('%s: Referrer-Policy and Permissions-Policy too, on errors as well', async (ENVIRONMENT) => {
    const t = await start({ ...DEPLOYED, ENVIRONMENT });
    for (const path of ['/api/things/', '/api/nope']) {
      const { headers } = await get(t.url, path);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(headers['permissions-policy']).toBe(
        'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()',
      );
      expect(headers['strict-transport-security']).toBeUndefined();
      expect(headers['content-security-policy']).toBeUndefined();
    }
  });

  it('HSTS and CSP when opted in outside local', async () => {
    const headers = await headersOf({ ...DEPLOYED, ENVIRONMENT: 'development', SECURITY_HSTS_ENABLED: true, SECURITY_CSP_ENABLED: true });
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(headers['referrer-policy']).toBeUndefined(); // development is not staging/production
  });

  it('SECURITY_HEADERS_ENABLED=false turns every one of them off', async () => {
    const headers = await headersOf({ ...DEPLOYED, ENVIRONMENT: 'production', SECURITY_HEADERS_ENABLED: false, SECURITY_HSTS_ENABLED: true, SECURITY_CSP_ENABLED: true });
    for (const name of ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'permissions-policy', 'strict-transport-security', 'content-security-policy']) {
      expect(headers[name]).toBeUndefined();
    }
  });
});

describe('GET {API_PREFIX}/meta', () => {
  it('answers the service metadata, cacheable, to anyone', async () => {
    const t = await start({
      PROJECT_NAME: 'Orders Service',
      SERVICE_VERSION: '2.4.1',
      CONTRACT_VERSION: '1.3.0',
      CONTRACT_RANGE: '>=1.2 <2',
      API_PREFIX: '/v1',
      PRIVATE_API_SECRET: 'meta-must-never-show-this-secret',
    });
    const answer = await get(t.url, '/v1/meta');
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('public, max-age=300');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(answer.body)).toEqual({
      service: 'Orders Service',
      version: '2.4.1',
      api_version: 'v1',
      contract: { name: 'Orders Service', version: '1.3.0', range: '>=1.2 <2' },
    });
    expect(answer.body).not.toContain('meta-must-never-show-this-secret');
  });

  it('takes API_VERSION and CONTRACT_NAME; unset contract fields are null', async () => {
    const t = await start({ SERVICE_VERSION: '0.9.0', API_VERSION: 'v2', CONTRACT_NAME: 'm8-orders' });
    expect(JSON.parse((await get(t.url, '/api/meta')).body)).toEqual({
      service: 'test-service',
      version: '0.9.0',
      api_version: 'v2',
      contract: { name: 'm8-orders', version: null, range: null },
    });
  });

  it('SERVICE_VERSION is also the version the health detail reports', async () => {
    const credential = 'health-detail-credential-for-meta-test';
    const t = await start({ SERVICE_VERSION: '3.1.4', HEALTH_DETAIL_CREDENTIAL: credential });
    const detail = await fetch(`${t.url}/api/health/`, { headers: { 'X-Internal-Token': credential } });
    expect(await detail.json()).toMatchObject({ status: 'ok', service: 'test-service', version: '3.1.4' });
  });

  it('is not mounted without SERVICE_VERSION', async () => {
    const t = await start({});
    const answer = await get(t.url, '/api/meta');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toEqual({ detail: 'Not Found' });
  });
});
