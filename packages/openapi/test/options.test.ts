import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openapi, defaultTokenUrl, OPENAPI_PACKAGE, OpenApiOptionsError, type OpenApiOptions } from '../src';
import { startDocsApp } from './fixtures';


function problemsOf(options: unknown): string[] {
  try {
    openapi(options as OpenApiOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(OpenApiOptionsError);
    expect((error as OpenApiOptionsError).code).toBe('ERR_M8_OPENAPI_OPTIONS');
    return (error as OpenApiOptionsError).problems.map((p) => p.option);
  }
  throw new Error('expected OpenApiOptionsError');
}

describe('openapi()', () => {
  it('is the M8Plugin core expects: named openapi, with its package for the compatibility check', () => {
    const plugin = openapi();
    expect(plugin.name).toBe('openapi');
    expect(plugin.package).toEqual(OPENAPI_PACKAGE);
  });

  it('declares the version of its package.json', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { name: string; version: string };
    expect(OPENAPI_PACKAGE).toEqual({ name: manifest.name, version: manifest.version, path: join(__dirname, '..') });
  });

  it('reports every bad option at once, at creation', () => {
    expect(problemsOf({ tokenUrl: 'ftp://issuer/login', description: 42, transformDocument: 'nope', title: 'x' }).sort()).toEqual(
      ['description', 'title', 'tokenUrl', 'transformDocument'].sort(),
    );
  });

  it.each(['', 'login/access-token', '//evil.example/login', 'javascript:alert(1)', 'not a url'])('rejects the token URL %j', (tokenUrl) => {
    expect(problemsOf({ tokenUrl })).toEqual(['tokenUrl']);
  });

  it.each(['/auth/login/access-token', 'https://issuer.example.com/auth/login/access-token'])('accepts the token URL %j', (tokenUrl) => {
    expect(() => openapi({ tokenUrl })).not.toThrow();
  });
});

describe('defaultTokenUrl', () => {
  it.each([
    [{ BACKEND_HOST: 'http://localhost:8000', AUTH_PREFIX: '/auth' }, 'http://localhost:8000/auth/login/access-token'],
    [{ BACKEND_HOST: 'https://api.example.com/', AUTH_PREFIX: '/auth/' }, 'https://api.example.com/auth/login/access-token'],
    [{ BACKEND_HOST: 'https://example.com/backend', AUTH_PREFIX: '/v1/auth' }, 'https://example.com/backend/v1/auth/login/access-token'],
    [{ BACKEND_HOST: 'http://localhost:8000', AUTH_PREFIX: '' }, 'http://localhost:8000/login/access-token'],
  ])('%o → %s', (input, expected) => {
    expect(defaultTokenUrl(input)).toBe(expected);
  });
});

describe('options on a live service', () => {
  it('uses tokenUrl, description and transformDocument; a relative token URL adds no origin to the CSP', async () => {
    const service = await startDocsApp({
      options: {
        tokenUrl: '/auth/login/access-token',
        description: 'Items of the **shop**.',
        transformDocument: (document) => ({ ...document, tags: [{ name: 'Items', description: 'Things for sale' }] }),
      },
    });
    try {
      const doc = (await (await fetch(`${service.url}/api/openapi.json`)).json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(doc.components.securitySchemes.OAuth2PasswordBearer.flows.password.tokenUrl).toBe('/auth/login/access-token');
      expect(doc.info.description).toBe('Items of the **shop**.');
      expect(doc.tags).toEqual([{ name: 'Items', description: 'Things for sale' }]);
      const csp = (await fetch(`${service.url}/api/docs`)).headers.get('content-security-policy');
      expect(csp).toContain("connect-src 'self';");
    } finally {
      await service.close();
    }
  });

  it('follows BACKEND_HOST and AUTH_PREFIX for the default token URL', async () => {
    const service = await startDocsApp({ settings: { BACKEND_HOST: 'https://api.example.com', AUTH_PREFIX: '/identity' } });
    try {
      const doc = (await (await fetch(`${service.url}/api/openapi.json`)).json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(doc.components.securitySchemes.OAuth2PasswordBearer.flows.password.tokenUrl).toBe('https://api.example.com/identity/login/access-token');
      expect((await fetch(`${service.url}/api/docs`)).headers.get('content-security-policy')).toContain("connect-src 'self' https://api.example.com;");
    } finally {
      await service.close();
    }
  });
});
