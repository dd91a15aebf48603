/**
 * Shutdown under real keep-alive load (undici's Agent, which re-sends a request it had not yet
 * written when the server closed the socket, and fails one it had written), the shutdown deadline
 * with a stuck request, and the start-up time box.
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Body, Get, JsonController, Post } from 'routing-controllers';
import { bootstrap, SHUTDOWN_TIMEOUT_EXIT_CODE, ShutdownTimeoutError, StartupTimeoutError, type M8App } from '@m8/core';
import { createTestSettings } from '@m8/testing';
import { startServiceProcess } from './support-process';

let stored = 0;

@JsonController('/work')
class WorkController {
  @Get('/')
  async read() {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
    return { stored };
  }

  @Post('/')
  async write(@Body() body: { n: number }) {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
    stored += 1;
    return { n: body.n };
  }
}

const apps: M8App[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
});

function lines(): { stream: Writable; read: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, read: () => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('shutdown under keep-alive load', () => {
  it('loses no request: 120 keep-alive clients, close() mid-load, every request answered', async () => {
    const app = await bootstrap(createTestSettings({ SHUTDOWN_DELAY_SECONDS: 1, SHUTDOWN_TIMEOUT_SECONDS: 10 }), { controllers: [WorkController] });
    apps.push(app);
    const { url, server } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    let connections = 0;
    server.on('connection', () => (connections += 1));
    const agent = new Agent({ connections: 120, keepAliveTimeout: 30_000, pipelining: 1 });

    const CLIENTS = 120;
    const PER_CLIENT = 40; // bounded: at most 4 800 requests
    let sent = 0;
    let closeRequested = false;
    let routing = true; // the "load balancer": stops sending here a moment after shutdown began
    const failures: string[] = [];
    let closeHeaders = 0;
    let closing: Promise<void> | undefined;
    let connectionsBeforeClose = 0;

    const client = async (id: number): Promise<void> => {
      for (let i = 0; i < PER_CLIENT && routing; i += 1) {
        sent += 1;
        if (!closeRequested && sent >= 1_200) {
          closeRequested = true;
          connectionsBeforeClose = connections;
          closing = app.close();
          // Kubernetes takes a while to remove the endpoint; requests keep coming meanwhile.
          setTimeout(() => (routing = false), 400);
        }
        const write = i % 2 === 1;
        try {
          const res = await request(`${url}/api/work/`, {
            dispatcher: agent,
            method: write ? 'POST' : 'GET',
            headers: write ? { 'content-type': 'application/json' } : {},
            body: write ? JSON.stringify({ n: id * 1000 + i }) : undefined,
          });
          await res.body.json();
          if (res.statusCode !== 200) failures.push(`status ${res.statusCode}`);
          if (closeRequested && res.headers.connection === 'close') closeHeaders += 1;
        } catch (error) {
          failures.push(`${write ? 'POST' : 'GET'}: ${(error as Error & { code?: string }).code ?? (error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));
    await closing;
    await agent.close();

    expect(closeRequested).toBe(true);
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1_200);
    // Keep-alive was really in use before the shutdown: far fewer connections than requests.
    expect(connectionsBeforeClose).toBeLessThanOrEqual(CLIENTS);
    // Requests served during the drain told their client that the connection ends there.
    expect(closeHeaders).toBeGreaterThan(0);
    expect(app.state).toBe('closed');
  }, 60_000);

  it('loses no request on SIGTERM: 60 keep-alive clients against the service process, exit 0', async () => {
    const service = await startServiceProcess({ ENVIRONMENT: 'production', SHUTDOWN_DELAY_SECONDS: '1', LOG_LEVEL: 'warn' });
    const agent = new Agent({ connections: 60, keepAliveTimeout: 30_000 });
    let sent = 0;
    let signalled = false;
    let routing = true;
    const failures: string[] = [];
    try {
      const client = async (): Promise<void> => {
        for (let i = 0; i < 60 && routing; i += 1) {
          sent += 1;
          if (!signalled && sent >= 600) {
            signalled = true;
            service.child.kill('SIGTERM');
            setTimeout(() => (routing = false), 400);
          }
          try {
            const res = await request(`${service.url}/hello`, { dispatcher: agent });
            await res.body.json();
            if (res.statusCode !== 200) failures.push(`status ${res.statusCode}`);
          } catch (error) {
            failures.push((error as Error & { code?: string }).code ?? (error as Error).message);
          }
        }
      };
      await Promise.all(Array.from({ length: 60 }, client));
      expect(signalled).toBe(true);
      expect(failures).toEqual([]);
      expect(await service.exited).toBe(0);
    } finally {
      await agent.close();
      service.kill();
    }
  }, 30_000);

  it('answers Connection: close from the moment shutdown begins, and keeps accepting during the delay', async () => {
    const app = await bootstrap(createTestSettings({ SHUTDOWN_DELAY_SECONDS: 1 }), { controllers: [WorkController] });
    apps.push(app);
    const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const agent = new Agent({ keepAliveTimeout: 30_000 });
    const before = await request(`${url}/api/work/`, { dispatcher: agent });
    await before.body.json();
    expect(before.headers.connection).toBe('keep-alive');
    const closing = app.close();
    const during = await request(`${url}/api/work/`, { dispatcher: agent });
    await during.body.json();
    expect(during.statusCode).toBe(200);
    expect(during.headers.connection).toBe('close');
    const fresh = await request(`${url}/api/work/`, { dispatcher: agent });
    await fresh.body.json();
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.connection).toBe('close');
    await closing;
    await agent.close();
  });
});

describe('a connection opened just before the shutdown', () => {
  it('is given time to send its first request, which is answered with Connection: close', async () => {
    const app = await bootstrap(createTestSettings({ SHUTDOWN_DELAY_SECONDS: 0 }), { controllers: [WorkController] });
    apps.push(app);
    const { url, server } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const { port } = new URL(url);
    const accepted = new Promise<void>((resolve) => server.once('connection', () => resolve()));
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += String(chunk)));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await accepted;
    const closing = app.close();
    // The request leaves only after the shutdown began (as a client's next write can).
    await new Promise((resolve) => setImmediate(resolve));
    socket.write('GET /api/work/ HTTP/1.1\r\nHost: x\r\n\r\n');
    await ended;
    await closing;
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
  });
});

describe('the shutdown deadline', () => {
  function stuckApp(timeoutSeconds: number, destination?: Writable) {
    return bootstrap(createTestSettings({ SHUTDOWN_TIMEOUT_SECONDS: timeoutSeconds, LOG_LEVEL: 'info' }), {
      controllers: [],
      logger: destination ? { destination } : undefined,
      plugins: [
        {
          name: 'stuck',
          setup: (ctx) => ctx.route({ method: 'GET', paths: ['/stuck'], template: '/stuck', handler: () => new Promise<void>(() => undefined) }),
        },
      ],
    });
  }

  it('holds with a stuck request: close() rejects at the deadline and one line names what was open', async () => {
    const log = lines();
    const app = await stuckApp(1, log.stream);
    const { url, server } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const seen = new Promise<void>((resolve) => server.once('request', () => resolve()));
    const stuck = fetch(`${url}/stuck?token=secret`).then(
      () => 'answered',
      () => 'cut',
    );
    await seen;
    const started = performance.now();
    const error = await app.close().then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(ShutdownTimeoutError);
    expect((error as ShutdownTimeoutError).code).toBe('ERR_M8_SHUTDOWN_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(4_000);
    expect(await stuck).toBe('cut');
    const timeoutLines = log.read().filter((l) => l.event === 'shutdown_timeout');
    expect(timeoutLines).toHaveLength(1);
    const line = timeoutLines[0]!;
    expect(line.level).toBe('error');
    expect((line.requests as { method: string; path: string }[]).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /stuck']);
    expect(line.connections).toBe(1);
    expect(String(line.msg)).toContain('1 request(s) [GET /stuck for');
    expect(JSON.stringify(line)).not.toContain('secret');
  });

  it('exits the process with code 124 when a request is stuck at SIGTERM', async () => {
    const service = await startServiceProcess({ ENVIRONMENT: 'production', SHUTDOWN_DELAY_SECONDS: '0', SHUTDOWN_TIMEOUT_SECONDS: '1' });
    try {
      const stuck = fetch(`${service.url}/stuck`).then(
        () => 'answered',
        () => 'cut',
      );
      await service.waitFor((_o, e) => e.includes('REQUEST SEEN'), 'the stuck request');
      const before = performance.now();
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(SHUTDOWN_TIMEOUT_EXIT_CODE);
      expect(performance.now() - before).toBeLessThan(5_000);
      expect(await stuck).toBe('cut');
      const timeoutLines = service.stdout().split('\n').filter((l) => l.includes('"event":"shutdown_timeout"'));
      expect(timeoutLines).toHaveLength(1);
      expect(timeoutLines[0]).toContain('"requests":[{"method":"GET","path":"/stuck"');
    } finally {
      service.kill();
    }
  }, 20_000);
});

describe('the start-up time box', () => {
  it('fails the start naming the validator that hangs', async () => {
    const app = await bootstrap(createTestSettings({ STARTUP_TIMEOUT_SECONDS: 1 }), {
      controllers: [],
      startupValidators: [Object.assign(() => new Promise<void>(() => undefined), { validatorName: 'jwksReachable' })],
    });
    const listening = app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const error = await listening.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartupTimeoutError);
    expect((error as StartupTimeoutError).code).toBe('ERR_M8_STARTUP_TIMEOUT');
    expect((error as StartupTimeoutError).step).toBe('validator "jwksReachable"');
    expect(app.state).toBe('closed');
  });

  it('fails the start naming the extra whose enter() hangs', async () => {
    const app = await bootstrap(createTestSettings({ STARTUP_TIMEOUT_SECONDS: 1 }), {
      controllers: [],
      extras: [{ name: 'cache', enter: () => new Promise<void>(() => undefined), exit: () => undefined }],
    });
    const error = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false }).catch((e: unknown) => e);
    expect((error as StartupTimeoutError).code).toBe('ERR_M8_STARTUP_TIMEOUT');
    expect((error as Error).message).toBe('Start-up extra "cache" did not finish within 1 s (STARTUP_TIMEOUT_SECONDS); is a dependency hanging?');
  });
});
