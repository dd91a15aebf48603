/**
 * Swagger UI and ReDoc in real headless Chromium (Debian's `chromium`): the example's operations
 * render, Swagger UI's Authorize logs in through the OAuth2 password flow and its token reaches a
 * protected route, and the pages make no request to any host but the service — they work offline.
 * (The service answers the issuer's login itself here, so the test needs no second origin.) The
 * service runs as in staging with HSTS and the API CSP on: the pages keep working under them.
 *
 * Needs /usr/bin/chromium (`apt-get install -y chromium`; `.ci/run` installs it) or the browser
 * named by M8_CHROMIUM_PATH. Without one it is skipped with the reason printed, or fails when the
 * run requires it (CI=true or M8_REQUIRE_BROWSER=1): test/support/browser.ts decides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ConsumerServiceSettings } from '@m8/core';
import type { TestApp } from '@m8/testing';
import { startDocsApp } from './fixtures';
import { planBrowserTests } from '../../../test/support/browser';

/**
 * The strictest headers a service can send: staging with HSTS and the deny-all API CSP. The pages
 * must still work under it (they set their own policy), which is what this test proves.
 */
const DEPLOYED_WITH_CSP = {
  ENVIRONMENT: 'staging',
  SERVE_DOCS_IN_PRODUCTION: true,
  SECURITY_CSP_ENABLED: true,
  SECURITY_HSTS_ENABLED: true,
  DOMAIN: 'items.m8.test',
  BACKEND_HOST: 'https://api.items.m8.test',
  FRONTEND_HOST: 'https://items.m8.test',
};

const plan = planBrowserTests(process.env);
const CHROMIUM = plan.executable;
if (plan.action === 'skip') console.warn(`\n⚠ the browser tests are SKIPPED: ${plan.reason}\n`);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

interface Visit {
  readonly page: Page;
  /** Every URL the page (and its workers) asked for. */
  readonly requests: string[];
  /** Console errors, CSP refusals included. */
  readonly errors: string[];
}

describe.skipIf(plan.action === 'skip')(`docs pages in headless Chromium${plan.action === 'skip' ? ` (SKIPPED: ${plan.reason})` : ''}`, { concurrent: true }, () => {
  let browser: Browser;
  let service: TestApp<ConsumerServiceSettings>;

  beforeAll(async () => {
    if (plan.action === 'fail') throw new Error(`the browser tests cannot run: ${plan.reason}`);
    [browser, service] = await Promise.all([chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 15_000 }), startDocsApp({ login: true, options: { tokenUrl: '/auth/login/access-token' }, settings: DEPLOYED_WITH_CSP })]);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  async function visit(path: string): Promise<Visit> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    context.on('request', (request) => void requests.push(request.url()));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    page.setDefaultTimeout(20_000); // generous: CI runs other suites on the same two cores
    await page.goto(`${service.url}${path}`, { waitUntil: 'load' });
    return { page, requests, errors };
  }

  function foreignRequests(requests: readonly string[]): string[] {
    const origin = new URL(service.url).origin;
    return requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
  }

  it('Swagger UI renders every operation, logs in through the OAuth2 password flow, calls a protected route, and stays on the service', async () => {
    const { page, requests, errors } = await visit('/api/docs');
    await page.waitForSelector('.opblock-summary-path[data-path="/api/items/{id}/admin"]');
    const paths = await page.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.getAttribute('data-path')));
    expect(new Set(paths)).toEqual(
      new Set(['/api/catalog/', '/api/catalog/{slug}', '/api/catalog/notes', '/api/items/', '/api/items/{id}', '/api/items/{id}/admin', '/api/admin/reindex', '/api/me/', '/api/inherited/version']),
    );
    const summaries = await page.$$eval('.opblock-summary-description', (nodes) => nodes.map((n) => n.textContent));
    expect(summaries).toEqual(expect.arrayContaining(['Reindex', 'Create', 'Note']));
    // Protected operations carry a lock; public ones do not.
    expect(await page.locator('.opblock:has([data-path="/api/admin/reindex"]) .authorization__btn').count()).toBe(1);
    expect(await page.locator('.opblock:has([data-path="/api/catalog/{slug}"]) .authorization__btn').count()).toBe(0);

    // Authorize with the OAuth2 password form (the issuer's login), then call a protected route.
    await page.click('.auth-wrapper .authorize');
    const dialog = page.locator('.modal-ux');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('HTTPBearer');
    await dialog.locator('#oauth_username').fill('ada@example.com');
    await dialog.locator('#oauth_password').fill('secret');
    await dialog.locator('.auth-container:has-text("OAuth2PasswordBearer") button.authorize').click();
    await dialog.locator('button:has-text("Logout")').first().waitFor();
    await dialog.locator('button.btn-done').first().click();

    const me = page.locator('.opblock:has([data-path="/api/me/"])');
    await me.locator('.opblock-summary-control').click();
    await me.locator('.try-out__btn').click();
    await me.locator('.execute').click();
    await me.locator('.live-responses-table tbody .response-col_status').first().waitFor();
    expect((await me.locator('.live-responses-table tbody .response-col_status').first().innerText()).trim()).toBe('200');
    expect(await me.locator('.live-responses-table tbody .response-col_description').first().innerText()).toContain('ada@example.com');

    // The API's own answers carry the deny-all policy; the page ran under its own.
    const document = await fetch(`${service.url}/api/openapi.json`);
    expect(document.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect((await fetch(`${service.url}/api/docs`)).headers.get('content-security-policy')).toContain("script-src 'self'");

    expect(requests).toContain(`${service.url}/auth/login/access-token`);
    expect(requests.some((url) => url.includes('/api/openapi.json'))).toBe(true);
    expect(foreignRequests(requests)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 40_000);

  it('ReDoc renders every operation and stays on the service (no CDN logo, no web fonts)', async () => {
    const { page, requests, errors } = await visit('/api/redoc');
    await page.locator('#redoc').getByText('/api/items/{id}/admin').first().waitFor();
    const text = (await page.locator('#redoc').textContent()) ?? '';
    for (const expected of ['/api/admin/reindex', '/api/catalog/notes', '/api/me/', 'Reindex', 'Create', 'OAuth2PasswordBearer', 'HTTPBearer', 'CreateItem']) {
      expect(text).toContain(expected);
    }
    expect(await page.title()).toBe('Items <Service> - ReDoc');

    expect(requests.some((url) => url.includes('/api/openapi.json'))).toBe(true);
    expect(foreignRequests(requests)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 40_000);
});
