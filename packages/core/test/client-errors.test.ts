/**
 * What Node's HTTP parser refuses itself is answered as JSON, and the header, request and
 * keep-alive timeouts come from settings. Raw sockets: fetch cannot send malformed HTTP.
 */
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Get, JsonController } from 'routing-controllers';
import { createTestSettings, startTestApp, type TestApp } from '@m8/testing';
import { ConsumerServiceSettings } from '@m8/core';
import { startServer } from '../src/lifecycle/http-server';

@JsonController('/hello')
class HelloController {
  @Get('/')
  hello() {
    return { hello: 'world' };
  }
}

let t: TestApp<ReturnType<typeof createTestSettings>>;
let port: number;
beforeAll(async () => {
  const settings = createTestSettings({ HEADERS_TIMEOUT_SECONDS: 1, REQUEST_TIMEOUT_SECONDS: 2, KEEP_ALIVE_TIMEOUT_SECONDS: 3 });
  t = await startTestApp({ settings, controllers: [HelloController] });
  port = Number(new URL(t.url).port);
});
afterAll(() => t.close());

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly elapsedMs: number;
}

/** Writes `payload`, then reads until the server closes the connection. */
function exchange(payload: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ ...parseAnswer(data), elapsedMs: performance.now() - started }));
    socket.write(payload);
  });
}

function parseAnswer(data: string): Omit<RawAnswer, 'elapsedMs'> {
  const [head = '', body = ''] = data.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

function expectJsonProblem(answer: RawAnswer, status: number, detail: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers.connection).toBe('close');
  expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
  expect(JSON.parse(answer.body)).toEqual({ detail });
}

describe("Node's own rejections as JSON", () => {
  it('answers a malformed request line with 400 {"detail"}', async () => {
    expectJsonProblem(await exchange('GARBAGE\r\n\r\n'), 400, 'Malformed HTTP request');
  });

  it('answers an unknown method with 400 {"detail"}', async () => {
    expectJsonProblem(await exchange('BREW /api/hello/ HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'Malformed HTTP request');
  });

  it('answers ambiguous framing (Content-Length and chunked) with 400 {"detail"}', async () => {
    const smuggle = 'POST /api/hello/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n';
    expectJsonProblem(await exchange(smuggle), 400, 'Malformed HTTP request');
  });

  it('answers chunk extensions over 16 KiB with 413 {"detail"}', async () => {
    const answer = await exchange(`POST /api/hello/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;ext=${'a'.repeat(20_000)}\r\na\r\n0\r\n\r\n`);
    expectJsonProblem(answer, 413, 'Request chunk extensions too large');
  });

  it('answers headers over 16 KiB with 431 {"detail"}', async () => {
    const answer = await exchange(`GET /api/hello/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectJsonProblem(answer, 431, 'Request header fields too large');
  });
});

describe.concurrent('timeouts from settings', () => {
  it('cuts a client that sends its headers too slowly with 408 {"detail"} after HEADERS_TIMEOUT_SECONDS', async () => {
    const answer = await exchange('GET /api/hello/ HTTP/1.1\r\nHost: x\r\n');
    expectJsonProblem(answer, 408, 'Request timeout: the request was not received in time');
    // 1 s plus Node's check interval (1 s): far below Node's own 60 s default.
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(answer.elapsedMs).toBeLessThan(10_000);
  });

  it('cuts a client that sends its body too slowly with 408 {"detail"} after REQUEST_TIMEOUT_SECONDS', async () => {
    const answer = await exchange('POST /api/hello/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    expectJsonProblem(answer, 408, 'Request timeout: the request was not received in time');
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(1900);
    expect(answer.elapsedMs).toBeLessThan(15_000);
  });

  it('keeps an idle keep-alive connection past the headers timeout, and closes it after KEEP_ALIVE_TIMEOUT_SECONDS', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.setEncoding('utf8');
    const request = 'GET /api/hello/ HTTP/1.1\r\nHost: x\r\n\r\n';
    const first = await send(socket, request);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(first).toMatch(/Keep-Alive: timeout=3/i);
    // Idle for longer than the headers timeout (1 s + check interval): an idle connection is not a slow client.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const idleStarted = performance.now();
    expect(await send(socket, request)).toMatch(/^HTTP\/1\.1 200 /);
    await new Promise((resolve) => socket.once('close', resolve));
    const idleMs = performance.now() - idleStarted;
    expect(idleMs).toBeGreaterThanOrEqual(2500);
    expect(idleMs).toBeLessThan(15_000);
  });
});

/** One request on an open socket; resolves with the first chunk of its answer. */
function send(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk: string) => resolve(chunk));
    socket.write(request);
  });
}

describe('timeout settings', () => {
  it('defaults: headers 10 s, request 30 s, keep-alive 65 s (longer than a 60 s load-balancer idle timeout)', () => {
    const settings = createTestSettings();
    expect([settings.HEADERS_TIMEOUT_SECONDS, settings.REQUEST_TIMEOUT_SECONDS, settings.KEEP_ALIVE_TIMEOUT_SECONDS]).toEqual([10, 30, 65]);
    expect([settings.BODY_MAX_DEPTH, settings.BODY_MAX_FIELDS]).toEqual([32, 5000]);
  });

  it('refuses a headers timeout longer than the request timeout, naming both', () => {
    let caught: unknown;
    try {
      ConsumerServiceSettings.load({ values: { PROJECT_NAME: 'x', ACCESS_SECRET_KEY: 'k'.repeat(32), HEADERS_TIMEOUT_SECONDS: 40, REQUEST_TIMEOUT_SECONDS: 30 }, env: {}, envFile: false });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'ERR_M8_SETTINGS' });
    expect((caught as Error).message).toContain('HEADERS_TIMEOUT_SECONDS: must be at most REQUEST_TIMEOUT_SECONDS (30)');
  });
});

describe('a response already under way', () => {
  it('is cut, never followed by a 408 written into its middle', async () => {
    const server = await startServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial answer;'); // never ended, and the request body is never read
      },
      0,
      '127.0.0.1',
      { headersTimeoutMs: 1000, requestTimeoutMs: 1000, keepAliveTimeoutMs: 5000 },
    );
    try {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      socket.setEncoding('utf8');
      let data = '';
      socket.on('data', (chunk: string) => (data += chunk));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":');
      await closed;
      expect(data).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(data).toContain('partial answer;');
      expect(data).not.toContain('408');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
