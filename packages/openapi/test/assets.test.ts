/** The pages and every asset they reference: served by the service, right types, cache policy, CSP. */
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerServiceSettings } from '@m8/core';
import type { TestApp } from '@m8/testing';
import { startDocsApp } from './fixtures';

let service: TestApp<ConsumerServiceSettings>;
beforeAll(async () => {
  service = await startDocsApp();
});
afterAll(() => service?.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${service.url}${path}`, { headers });
const referenced = (html: string) => [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);

/** fetch() always decompresses; this reads the raw bytes. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${service.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each([
  ['/api/docs', 'Swagger UI', ['swagger-ui-bundle.js', 'swagger-initializer.js', 'swagger-ui.css', 'index.css', 'favicon-32x32.png', 'favicon-16x16.png']],
  ['/api/redoc', 'ReDoc', ['redoc.standalone.js', 'redoc-init.js', 'favicon-32x32.png']],
])('%s', (path, label, assets) => {
  let html: string;
  let page: Response;
  beforeAll(async () => {
    page = await get(path);
    html = await page.text();
  });

  it('is an HTML page titled after the service (escaped), answered with and without the trailing slash', async () => {
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(html).toContain(`<title>Items &#60;Service&#62; - ${label}</title>`);
    expect((await get(`${path}/`)).status).toBe(200);
  });

  it('has a CSP of self only (styles inline), and core\'s nosniff / DENY headers', () => {
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|https?:\/\/(?!localhost:8000)/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('references only its own assets, by absolute path with a content hash, and no inline script', () => {
    const urls = referenced(html);
    expect(urls.map((u) => u.replace(/^.*\/assets\/([^?]+)\?v=[\w-]{12}$/, '$1')).sort()).toEqual([...assets].sort());
    for (const url of urls) expect(url).toMatch(new RegExp(`^${path}/assets/`));
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves every asset with its type and a one-year immutable cache', async () => {
    const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', png: 'image/png' };
    for (const url of referenced(html)) {
      const answer = await get(url);
      expect(answer.status, url).toBe(200);
      expect(answer.headers.get('content-type'), url).toBe(types[url.replace(/\?.*$/, '').split('.').pop()!]);
      expect(answer.headers.get('cache-control'), url).toBe('public, max-age=31536000, immutable');
      expect((await answer.arrayBuffer()).byteLength, url).toBeGreaterThan(100);
    }
  });
});

describe('asset contents', () => {
  it('gzips large assets once asked (and not otherwise), with Vary', async () => {
    const zipped = await rawGet('/api/docs/assets/swagger-ui-bundle.js', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    const plain = await rawGet('/api/docs/assets/swagger-ui-bundle.js', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await get('/api/redoc/assets/redoc.standalone.js');
    const etag = first.headers.get('etag')!;
    expect((await get('/api/redoc/assets/redoc.standalone.js', { 'if-none-match': etag })).status).toBe(304);
  });

  it('answers HEAD without a body', async () => {
    const head = await fetch(`${service.url}/api/docs/assets/swagger-ui.css`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await head.text()).toBe('');
  });

  it('configures Swagger UI: the document, persisted authorization, no external validator, a local OAuth2 redirect', async () => {
    const script = await (await get('/api/docs/assets/swagger-initializer.js')).text();
    expect(script).toContain('"url":"/api/openapi.json"');
    expect(script).toContain('"persistAuthorization":true');
    expect(script).toContain('"validatorUrl":null');
    expect(script).toContain('"oauth2RedirectPath":"/api/docs/oauth2-redirect.html"');
  });

  it('serves the OAuth2 redirect page with its script from the service', async () => {
    const page = await get('/api/docs/oauth2-redirect.html');
    expect(page.status).toBe(200);
    const html = await page.text();
    const [script] = referenced(html);
    expect(script).toMatch(/^\/api\/docs\/assets\/oauth2-redirect\.js\?v=/);
    const js = await get(script!);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('swaggerUIRedirectOauth2');
  });

  it('points ReDoc at the document and strips its only CDN URL (the sidebar logo)', async () => {
    expect(await (await get('/api/redoc/assets/redoc-init.js')).text()).toContain('Redoc.init("/api/openapi.json"');
    const bundle = await (await get('/api/redoc/assets/redoc.standalone.js')).text();
    expect(bundle).not.toContain('cdn.redoc.ly');
    expect(bundle).not.toContain('fonts.googleapis');
    expect(bundle).not.toMatch(/sourceMappingURL=\S+\s*$/);
  });

  it('lets Swagger UI post the login to the issuer\'s origin (connect-src), and ReDoc build its search worker', async () => {
    expect((await get('/api/docs')).headers.get('content-security-policy')).toContain("connect-src 'self' http://localhost:8000;");
    expect((await get('/api/redoc')).headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
  });

  it('leaves unknown asset names to the ordinary 404', async () => {
    const answer = await get('/api/docs/assets/../../openapi.json.map');
    expect(answer.status).toBe(404);
    expect((await get('/api/docs/assets/swagger-ui-bundle.js.map')).status).toBe(404);
  });
});
