/**
 * tsyringe's own `container`, as services write it, answers for the right app (the rule in
 * packages/core/README.md, "Dependency injection"): the request's app during a request, the app
 * whose lifecycle runs, else the one started app; never another app's registrations.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, describe, expect, it } from 'vitest';
import { Get, JsonController, useKoaServer } from 'routing-controllers';
import { container, injectable, Lifecycle, type InjectionToken } from 'tsyringe';
import type { Context } from 'koa';
import {
  AmbiguousAppError,
  ConsumerServiceSettings,
  KOA_CONTEXT,
  LOGGER,
  NoAppError,
  NotProvidedError,
  REQUEST_ID,
  SETTINGS,
  bootstrap,
  type M8App,
} from '@m8/core';
import { createTestSettings, startTestApp, type TestApp } from '@m8/testing';

/** A token only the first app registers. */
const ALPHA_ONLY: InjectionToken<string> = Symbol('alpha-only');

let tallies = 0;
@injectable()
class RequestTally {
  readonly id = ++tallies;
}

/** A plain function, as a user writes one: no injection, just the global container. */
function projectName(): string {
  return container.resolve(ConsumerServiceSettings).PROJECT_NAME;
}

@injectable()
class Probe {
  describe() {
    const ctx: Context = container.resolve(KOA_CONTEXT);
    return {
      project: container.resolve(SETTINGS).PROJECT_NAME,
      fromFunction: projectName(),
      path: ctx.path,
      requestId: container.resolve(REQUEST_ID),
      logs: typeof container.resolve(LOGGER).info,
      tally: container.resolve(RequestTally).id,
      sameTally: container.resolve(RequestTally) === container.resolve(RequestTally),
    };
  }
}

@JsonController('/probe')
class ProbeController {
  @Get('/')
  async probe() {
    await new Promise((resolve) => setImmediate(resolve)); // interleave the two apps' requests
    return container.resolve(Probe).describe();
  }
}

const requestScoped = (c: { register: (...args: never[]) => unknown }): void =>
  void (c.register as (token: unknown, provider: unknown, options: unknown) => unknown)(RequestTally, { useClass: RequestTally }, { lifecycle: Lifecycle.ContainerScoped });

async function probe(t: TestApp<ConsumerServiceSettings>, requestId: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${t.url}/api/probe/`, { headers: { 'X-Request-Id': requestId } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

let alpha: TestApp<ConsumerServiceSettings> | undefined;
let beta: TestApp<ConsumerServiceSettings> | undefined;
afterAll(async () => {
  await beta?.close();
  await alpha?.close();
});

describe("tsyringe's global container", () => {
  it('answers, during a request, with the app of that request and its request scope', async () => {
    alpha = await startTestApp({
      settings: createTestSettings({ PROJECT_NAME: 'alpha' }),
      controllers: [ProbeController],
      overrides: (c) => {
        requestScoped(c);
        c.register(ALPHA_ONLY, { useValue: 'alpha' });
      },
    });
    const first = await probe(alpha, 'req-a1');
    const second = await probe(alpha, 'req-a2');
    expect(first).toMatchObject({ project: 'alpha', fromFunction: 'alpha', path: '/api/probe/', requestId: 'req-a1', logs: 'function', sameTally: true });
    expect(second).toMatchObject({ project: 'alpha', requestId: 'req-a2', sameTally: true });
    expect(second.tally).not.toBe(first.tally); // request-scoped: a new instance per request
  });

  it('answers outside a request with the one started app', () => {
    expect(container.resolve(SETTINGS)).toBe(alpha!.app.settings);
    expect(container.resolve(ALPHA_ONLY)).toBe('alpha');
  });

  it('keeps two apps apart: each request sees its own app, a lifecycle step its own app', async () => {
    const seenInValidator: unknown[] = [];
    beta = await startTestApp({
      settings: createTestSettings({ PROJECT_NAME: 'beta' }),
      controllers: [ProbeController],
      overrides: requestScoped,
      startupValidators: [
        () => {
          seenInValidator.push(container.resolve(SETTINGS).PROJECT_NAME);
          try {
            container.resolve(ALPHA_ONLY);
          } catch (error) {
            seenInValidator.push(error);
          }
        },
      ],
    });
    expect(seenInValidator[0]).toBe('beta');
    expect(seenInValidator[1]).toBeInstanceOf(NotProvidedError);
    expect(seenInValidator[1]).toMatchObject({ code: 'ERR_M8_NOT_PROVIDED' });

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => probe(i % 2 === 0 ? alpha! : beta!, `req-${i}`)));
    for (const [i, answer] of answers.entries()) {
      const project = i % 2 === 0 ? 'alpha' : 'beta';
      expect(answer).toMatchObject({ project, fromFunction: project, requestId: `req-${i}` });
    }
  });

  it('refuses to guess outside a request when several apps are started', () => {
    expect(() => container.resolve(SETTINGS)).toThrow(AmbiguousAppError);
    try {
      container.resolve(SETTINGS);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_M8_AMBIGUOUS_APP', message: expect.stringContaining('app.container') });
    }
  });

  it('answers for the remaining app once the other closed, and for none after the last', async () => {
    await beta!.close();
    beta = undefined;
    expect(container.resolve(SETTINGS).PROJECT_NAME).toBe('alpha');
    await alpha!.close();
    alpha = undefined;
    expect(() => container.resolve(SETTINGS)).toThrow(NoAppError);
  });
});

describe('a plain routing-controllers app in the same process', () => {
  let instances = 0;
  @JsonController('/plain')
  class PlainController {
    readonly instance = ++instances;
    @Get('/')
    which() {
      return { instance: this.instance };
    }
  }

  it('keeps getting its singleton controllers while an m8 app runs', async () => {
    const m8: M8App = await bootstrap(createTestSettings(), { controllers: [ProbeController] });
    await m8.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const koa = new Koa();
    useKoaServer(koa, { controllers: [PlainController] });
    const server: Server = await new Promise((resolve) => {
      const s = createServer(koa.callback()).listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/plain/`;
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await (await fetch(url)).json());
      expect(answers).toEqual([{ instance: 1 }, { instance: 1 }, { instance: 1 }]);
      expect(instances).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await m8.close();
    }
  });
});
