/** SET_OPEN_API / SET_DOCS / SET_REDOC and the production gate, as a table and on a live service. */
import { describe, expect, it } from 'vitest';
import { docsToggles } from '../src';
import { startDocsApp } from './fixtures';

const base = { ENVIRONMENT: 'local', SET_OPEN_API: true, SET_DOCS: true, SET_REDOC: true, SERVE_DOCS_IN_PRODUCTION: false } as const;

describe('docsToggles', () => {
  it.each([
    [{}, [true, true, true]],
    [{ SET_DOCS: false }, [true, false, true]],
    [{ SET_REDOC: false }, [true, true, false]],
    [{ SET_DOCS: false, SET_REDOC: false }, [true, false, false]],
    // The pages render the document: without it they are off, whatever their own toggle says.
    [{ SET_OPEN_API: false }, [false, false, false]],
    [{ ENVIRONMENT: 'development' }, [true, true, true]],
    [{ ENVIRONMENT: 'staging' }, [true, true, true]],
    [{ ENVIRONMENT: 'production' }, [false, false, false]],
    [{ ENVIRONMENT: 'production', SERVE_DOCS_IN_PRODUCTION: true }, [true, true, true]],
    [{ ENVIRONMENT: 'production', SERVE_DOCS_IN_PRODUCTION: true, SET_REDOC: false }, [true, true, false]],
    [{ ENVIRONMENT: 'production', SERVE_DOCS_IN_PRODUCTION: true, SET_OPEN_API: false }, [false, false, false]],
  ] as const)('%o → openApi/docs/redoc %o', (overrides, [openApi, docs, redoc]) => {
    expect(docsToggles({ ...base, ...overrides })).toEqual({ openApi, docs, redoc });
  });
});

const PRODUCTION = {
  ENVIRONMENT: 'production',
  ACCESS_SECRET_KEY: 'a-production-grade-secret-key-of-48-characters!!',
  // Production refuses the local defaults of these at start.
  DOMAIN: 'docs.m8.test',
  BACKEND_HOST: 'https://api.docs.m8.test',
  FRONTEND_HOST: 'https://docs.m8.test',
};
const routes = ['/api/openapi.json', '/api/docs', '/api/docs/oauth2-redirect.html', '/api/docs/assets/swagger-ui-bundle.js', '/api/redoc', '/api/redoc/assets/redoc.standalone.js'];

describe('routes served per setting (live service)', () => {
  it.each([
    ['defaults', {}, [200, 200, 200, 200, 200, 200]],
    ['SET_DOCS=false', { SET_DOCS: 'false' }, [200, 404, 404, 404, 200, 200]],
    ['SET_REDOC=false', { SET_REDOC: 'false' }, [200, 200, 200, 200, 404, 404]],
    ['SET_OPEN_API=false (docs pages need the document)', { SET_OPEN_API: 'false' }, [404, 404, 404, 404, 404, 404]],
    ['production', PRODUCTION, [404, 404, 404, 404, 404, 404]],
    ['production + SERVE_DOCS_IN_PRODUCTION', { ...PRODUCTION, SERVE_DOCS_IN_PRODUCTION: 'true' }, [200, 200, 200, 200, 200, 200]],
  ] as const)('%s', async (_name, settings, statuses) => {
    const service = await startDocsApp({ settings });
    try {
      const answers = await Promise.all(routes.map((path) => fetch(`${service.url}${path}`)));
      expect(answers.map((a) => a.status)).toEqual(statuses);
      // A disabled route is the ordinary unknown route.
      for (const answer of answers.filter((a) => a.status === 404)) expect(await answer.json()).toEqual({ detail: 'Not Found' });
      // The controllers are served either way.
      expect((await fetch(`${service.url}/api/catalog/`)).status).toBe(200);
    } finally {
      await service.close();
    }
  });

  it('serves nothing unless listed in the plugins, whatever SET_OPEN_API says (no loading by package name)', async () => {
    const service = await startDocsApp({ plugin: false, settings: { SET_OPEN_API: 'true' } });
    try {
      expect((await fetch(`${service.url}/api/openapi.json`)).status).toBe(404);
      expect((await fetch(`${service.url}/api/docs`)).status).toBe(404);
    } finally {
      await service.close();
    }
  });

  it('follows API_PREFIX, including the root', async () => {
    const service = await startDocsApp({ settings: { API_PREFIX: '' } });
    try {
      const doc = (await (await fetch(`${service.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(doc.paths)).toContain('/items/');
      expect((await fetch(`${service.url}/docs`)).status).toBe(200);
      expect((await fetch(`${service.url}/redoc/`)).status).toBe(200);
      expect((await fetch(`${service.url}/api/openapi.json`)).status).toBe(404);
    } finally {
      await service.close();
    }
  });
});

describe('under SECURITY_CSP_ENABLED (staging)', () => {
  it('the pages keep their own policy; the document and other answers get the deny-all one', async () => {
    const service = await startDocsApp({
      settings: { ...PRODUCTION, ENVIRONMENT: 'staging', SERVE_DOCS_IN_PRODUCTION: 'true', SECURITY_CSP_ENABLED: 'true' },
    });
    try {
      const api = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
      for (const page of ['/api/docs', '/api/redoc']) {
        const csp = (await fetch(`${service.url}${page}`)).headers.get('content-security-policy')!;
        expect(csp).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; /);
        expect(csp).not.toBe(api);
      }
      expect((await fetch(`${service.url}/api/openapi.json`)).headers.get('content-security-policy')).toBe(api);
      expect((await fetch(`${service.url}/api/nope`)).headers.get('content-security-policy')).toBe(api);
    } finally {
      await service.close();
    }
  });
});
