import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthOptionsError, httpDependencyCheck } from '@m8/health';
import { HealthRunner } from '../src/runner';
import { get, startHealthApp } from './helpers';

let server: Server;
let base: string;
let lastHeaders: IncomingHttpHeaders = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    lastHeaders = req.headers;
    if (req.url === '/ok') return res.end('fine');
    if (req.url === '/down') return void res.writeHead(503).end('down');
    if (req.url === '/moved') return void res.writeHead(302, { location: '/ok' }).end();
    if (req.url === '/hang') return; // never answers
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const run = (check: ReturnType<typeof httpDependencyCheck>, timeoutMs = 1000) =>
  Promise.resolve(new HealthRunner({ checks: [check], timeoutMs, policy: 'lenient', cacheTtlMs: 0 }).current()).then((s) => s.checks[0]!);

describe('httpDependencyCheck', () => {
  it('is ok when the dependency answers 2xx', async () => {
    const report = await run(httpDependencyCheck('issuer', `${base}/ok`));
    expect(report).toMatchObject({ name: 'issuer', status: 'ok', error: null, meta: { url: `${base}/ok`, status_code: 200 } });
  });

  it('fails on an unexpected status, and does not follow redirects', async () => {
    expect(await run(httpDependencyCheck('issuer', `${base}/down`))).toMatchObject({ status: 'fail', error: 'unexpected HTTP status 503', meta: { status_code: 503 } });
    expect(await run(httpDependencyCheck('issuer', `${base}/moved`))).toMatchObject({ status: 'fail', error: 'unexpected HTTP status 302' });
  });

  it('accepts what expectStatus accepts, and reports onFailure', async () => {
    expect((await run(httpDependencyCheck('x', `${base}/down`, { expectStatus: (s) => s < 600 }))).status).toBe('ok');
    expect((await run(httpDependencyCheck('x', `${base}/down`, { onFailure: 'degraded' }))).status).toBe('degraded');
  });

  it('fails with its own short timeout', async () => {
    const started = performance.now();
    const report = await run(httpDependencyCheck('slow', `${base}/hang`, { timeout: 0.1 }));
    expect(performance.now() - started).toBeLessThan(400);
    expect(report).toMatchObject({ status: 'fail', error: 'timeout 100ms' });
  });

  it('stops when the health timeout comes first', async () => {
    const report = await run(httpDependencyCheck('slow', `${base}/hang`, { timeout: 5 }), 100);
    expect(report).toMatchObject({ status: 'fail', error: 'timeout 100ms' });
  });

  it('reports a refused connection by its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const report = await run(httpDependencyCheck('gone', `http://user:pw-secret@127.0.0.1:${port}/x`));
    expect(report).toMatchObject({ status: 'fail', error: 'request failed: ECONNREFUSED' });
    expect(JSON.stringify(report)).not.toContain('pw-secret');
  });

  it('sends URL credentials as Basic auth and never shows them', async () => {
    const report = await run(httpDependencyCheck('issuer', `http://svc:pw%40x@127.0.0.1:${new URL(base).port}/ok`, { headers: { 'x-extra': '1' } }));
    expect(lastHeaders.authorization).toBe(`Basic ${Buffer.from('svc:pw@x').toString('base64')}`);
    expect(lastHeaders['x-extra']).toBe('1');
    expect(report.meta).toEqual({ url: `http://***:***@127.0.0.1:${new URL(base).port}/ok`, status_code: 200 });
  });

  it('validates its options once, without echoing the URL', () => {
    let error: unknown;
    try {
      httpDependencyCheck('', 'ftp://u:pw-secret@x/', { timeout: 0, onFailure: 'maybe' as 'fail', expectStatus: 1 as unknown as () => boolean });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HealthOptionsError);
    expect((error as HealthOptionsError).code).toBe('ERR_M8_HEALTH_OPTIONS');
    expect((error as HealthOptionsError).problems.map((p) => p.option)).toEqual(['name', 'url', 'timeout', 'expectStatus', 'onFailure']);
    expect((error as Error).message).not.toContain('pw-secret');
    expect(() => httpDependencyCheck('x', 'not a url')).toThrow(/url: must be an absolute http\(s\) URL/);
  });

  it('works as a check of a real app', async () => {
    const running = await startHealthApp({ detailPublic: true, checks: [httpDependencyCheck('issuer', `${base}/ok`)] });
    try {
      const answer = await get(`${running.url}/api/health/`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'ok', checks: [{ name: 'issuer', status: 'ok', meta: { status_code: 200 } }] });
    } finally {
      await running.close();
    }
  });
});
