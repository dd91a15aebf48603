import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Get, JsonController } from 'routing-controllers';
import { bootstrap, StartupError, type Extra, type M8Plugin } from '@m8/core';
import { createTestSettings } from '@m8/testing';
import { freePort } from '../../../test/support/ports';

const settings = createTestSettings({ SHUTDOWN_TIMEOUT_SECONDS: 5 });

/** Lets a test see that the server is inside a request, and decide when that request finishes. */
class RequestGate {
  readonly arrived: Promise<void>;
  readonly released: Promise<void>;
  private arrive!: () => void;
  private releaseRequest!: () => void;
  constructor() {
    this.arrived = new Promise((resolve) => (this.arrive = resolve));
    this.released = new Promise((resolve) => (this.releaseRequest = resolve));
  }
  enter(): Promise<void> {
    this.arrive();
    return this.released;
  }
  release(): void {
    this.releaseRequest();
  }
}

let gate = new RequestGate();
afterEach(() => {
  gate.release();
  gate = new RequestGate();
});

@JsonController('/slow')
class SlowController {
  @Get('/')
  async slow() {
    await gate.enter();
    return { done: true };
  }

  @Get('/now')
  now() {
    return { now: true };
  }
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** Resolves once nothing accepts connections at `url` any more: the event, not a guessed delay. */
async function untilRefused(url: string): Promise<void> {
  await vi.waitFor(async () => expect(await refused(url)).toBe(true), { timeout: 10_000, interval: 10 });
}

/** What the app logged, one parsed JSON line per entry. */
function captureLog(): { destination: { write(line: string): boolean }; events(): string[]; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  return {
    entries,
    destination: {
      write(line: string) {
        entries.push(JSON.parse(line) as Record<string, unknown>);
        return true;
      },
    },
    events: () => entries.map((entry) => String(entry.event)),
  };
}

describe('start-up', () => {
  it('runs validators in order, then extras, then reports ready', async () => {
    const calls: string[] = [];
    const extra: Extra = { name: 'cache', enter: () => void calls.push('enter cache'), exit: () => void calls.push('exit cache') };
    const app = await bootstrap(settings, {
      controllers: [],
      startupValidators: [() => void calls.push('v1'), async () => void calls.push('v2')],
      extras: [extra],
    });
    expect(app.state).toBe('initializing');
    await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    expect(calls).toEqual(['v1', 'v2', 'enter cache']);
    expect(app.state).toBe('ready');
    await app.close();
    expect(app.state).toBe('closed');
    expect(calls.at(-1)).toBe('exit cache');
  });

  it('aborts start when a validator throws: listen() rejects, the app never reports ready, the port is released', async () => {
    const entered: string[] = [];
    const log = captureLog();
    const app = await bootstrap(createTestSettings({ SHUTDOWN_TIMEOUT_SECONDS: 5, LOG_LEVEL: 'info' }), {
      controllers: [],
      logger: { destination: log.destination as never },
      startupValidators: [
        function databaseReachable() {
          throw new Error('database unreachable');
        },
      ],
      extras: [{ name: 'never', enter: () => void entered.push('x'), exit: () => undefined }],
    });
    const port = await freePort();
    const listening = app.listen({ port, host: '127.0.0.1', handleSignals: false });
    await expect(listening).rejects.toThrow(StartupError);
    await expect(listening).rejects.toThrow('Start-up validator "databaseReachable" failed: database unreachable');
    expect(app.state).toBe('closed');
    expect(entered).toEqual([]);
    // It did listen on that port, then never logged `ready`, and gave the port back.
    expect(log.entries.find((entry) => entry.event === 'listening')?.url).toBe(`http://127.0.0.1:${port}`);
    expect(log.events()).not.toContain('ready');
    expect(log.events()).toContain('startup_failed');
    expect(await refused(`http://127.0.0.1:${port}`)).toBe(true);
    const again = createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });
});

describe('shutdown', () => {
  it('lets an in-flight request finish, refuses new connections, then tears down extras → auth → db (plugins in reverse list order)', async () => {
    const order: string[] = [];
    const auth: M8Plugin = {
      name: 'auth',
      setup: (app) => {
        app.authorize({ authorizationChecker: () => true, currentUserChecker: () => undefined });
        app.onClose('auth', async () => void order.push('auth'));
      },
    };
    const db: M8Plugin = { name: 'db', setup: (app) => app.onClose('db', async () => void order.push('db')) };
    const app = await bootstrap(settings, {
      controllers: [SlowController],
      plugins: [db, auth],
      extras: [{ name: 'x', enter: () => undefined, exit: () => void order.push('extra') }],
    });
    const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });

    const inFlight = fetch(`${url}/api/slow/`);
    await gate.arrived; // the server is inside the request
    const closed = app.close();
    expect(app.state).toBe('shutting_down');
    await untilRefused(url);
    expect(order).toEqual([]); // nothing is torn down while the request runs

    gate.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    expect(order).toEqual(['extra', 'auth', 'db']);
    await app.close(); // idempotent
    expect(order).toEqual(['extra', 'auth', 'db']);
  });

  it('keeps answering during SHUTDOWN_DELAY_SECONDS so load balancers can drain', async () => {
    // Timing is the behaviour here: the request is sent at once and has the whole 2 s delay to be answered.
    const app = await bootstrap(createTestSettings({ SHUTDOWN_DELAY_SECONDS: 2 }), { controllers: [SlowController] });
    const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const closed = app.close();
    expect(app.state).toBe('shutting_down');
    const res = await fetch(`${url}/api/slow/now`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ now: true });
    expect(app.state).toBe('shutting_down');
    await closed;
    expect(await refused(url)).toBe(true);
  });

  it('cuts requests still running at the deadline', async () => {
    const app = await bootstrap(createTestSettings({ SHUTDOWN_TIMEOUT_SECONDS: 0 }), { controllers: [SlowController] });
    const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const inFlight = fetch(`${url}/api/slow/`).then(
      () => 'answered',
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
    );
    await gate.arrived; // connected and inside the handler: a refusal cannot pass for a cut
    await expect(app.close()).rejects.toMatchObject({ code: 'ERR_M8_SHUTDOWN_TIMEOUT' });
    // undici reports a connection closed under a request it sent as UND_ERR_SOCKET ("other side closed").
    expect(await inFlight).toBe('UND_ERR_SOCKET');
  });

  it('a failing teardown step does not stop the others', async () => {
    const order: string[] = [];
    const db: M8Plugin = { name: 'db', setup: (app) => app.onClose('db', async () => void order.push('db')) };
    const app = await bootstrap(settings, {
      controllers: [],
      plugins: [db],
      extras: [{ name: 'bad', enter: () => undefined, exit: () => Promise.reject(new Error('boom')) }],
    });
    await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    await app.close();
    expect(order).toEqual(['db']);
  });
});

describe('the pipeline', () => {
  it('runs in the documented order (bootstrap.ts), plugins at their stages', async () => {
    function metricsObserver(_ctx: unknown, next: () => Promise<void>) {
      return next();
    }
    function databaseContext(_ctx: unknown, next: () => Promise<void>) {
      return next();
    }
    const app = await bootstrap(settings, {
      controllers: [SlowController],
      logger: { destination: { write: () => true } as never },
      plugins: [
        {
          name: 'stages',
          setup: (ctx) => {
            ctx.use('observe', metricsObserver);
            ctx.use('request', databaseContext);
          },
        },
      ],
    });
    const names = (app.koa as unknown as { middleware: { name: string }[] }).middleware.map((m) => m.name);
    expect(names).toEqual(['requestState', 'requestId', 'accessLog', 'securityHeaders', 'metricsObserver', 'cors', 'errorLayer', 'internalRoutes', 'jsonBody', 'databaseContext', 'routing']);
    await app.close();
  });
});
