import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Get, JsonController } from 'routing-controllers';
import { bootstrap, StartupError, type Extra, type M8Plugin } from '@m8/core';
import { createTestSettings } from '@m8/testing';

const settings = createTestSettings({ SHUTDOWN_TIMEOUT_SECONDS: 5 });

@JsonController('/slow')
class SlowController {
  @Get('/')
  async slow() {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { done: true };
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
    const app = await bootstrap(settings, {
      controllers: [],
      startupValidators: [
        function databaseReachable() {
          throw new Error('database unreachable');
        },
      ],
      extras: [{ name: 'never', enter: () => void entered.push('x'), exit: () => undefined }],
    });
    const states: string[] = [];
    const listening = app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    await expect(listening).rejects.toThrow(StartupError);
    await expect(listening).rejects.toThrow('Start-up validator "databaseReachable" failed: database unreachable');
    states.push(app.state);
    expect(states).toEqual(['closed']);
    expect(entered).toEqual([]);
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
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = app.close();
    expect(app.state).toBe('shutting_down');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await refused(url)).toBe(true);

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    expect(order).toEqual(['extra', 'auth', 'db']);
    await app.close(); // idempotent
    expect(order).toEqual(['extra', 'auth', 'db']);
  });

  it('keeps answering during SHUTDOWN_DELAY_SECONDS so load balancers can drain', async () => {
    const app = await bootstrap(createTestSettings({ SHUTDOWN_DELAY_SECONDS: 1 }), { controllers: [SlowController] });
    const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const closed = app.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await refused(url)).toBe(false);
    await closed;
    expect(await refused(url)).toBe(true);
  });

  it('cuts requests still running at the deadline', async () => {
    const app = await bootstrap(createTestSettings({ SHUTDOWN_TIMEOUT_SECONDS: 0 }), { controllers: [SlowController] });
    const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const inFlight = fetch(`${url}/api/slow/`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(app.close()).rejects.toMatchObject({ code: 'ERR_M8_SHUTDOWN_TIMEOUT' });
    expect(await inFlight).toBe('cut');
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
