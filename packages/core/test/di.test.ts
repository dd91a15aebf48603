import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Get, JsonController, Param } from 'routing-controllers';
import { inject, injectable, Lifecycle } from 'tsyringe';
import type { Context } from 'koa';
import { APP_EVENTS, ConsumerServiceSettings, KOA_CONTEXT, LOGGER, SETTINGS, bootstrap, type M8App } from '@m8/core';
import { createTestSettings, startTestApp, type TestApp } from '@m8/testing';

let instances = 0;

/** A request-scoped service: one instance per request, shared by everything in that request. */
@injectable()
class RequestTally {
  readonly id = ++instances;
  disposed = false;
  constructor(@inject(KOA_CONTEXT) readonly ctx: Context) {}
  dispose(): void {
    this.disposed = true;
  }
}

@injectable()
class Greeter {
  constructor(
    readonly tally: RequestTally,
    @inject(SETTINGS) readonly settings: ConsumerServiceSettings,
  ) {}
}

const seen: RequestTally[] = [];

@injectable()
@JsonController('/di')
class DiController {
  constructor(
    private readonly greeter: Greeter,
    private readonly tally: RequestTally,
  ) {}

  @Get('/:n')
  async show(@Param('n') n: string) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen.push(this.tally);
    return { n, sameInstance: this.greeter.tally === this.tally, tally: this.tally.id, path: this.tally.ctx.path, project: this.greeter.settings.PROJECT_NAME };
  }
}

let t: TestApp<ConsumerServiceSettings>;
beforeAll(async () => {
  t = await startTestApp({
    controllers: [DiController],
    overrides: (c) => c.register(RequestTally, { useClass: RequestTally }, { lifecycle: Lifecycle.ContainerScoped }),
  });
});
afterAll(() => t.close());

describe('DI', () => {
  it('resolves settings from the container under SETTINGS and the class', () => {
    expect(t.app.container.resolve(SETTINGS)).toBe(t.app.settings);
    expect(t.app.container.resolve(ConsumerServiceSettings)).toBe(t.app.settings);
  });

  it('offers the app logger and events to services', () => {
    expect(t.app.container.resolve(LOGGER)).toBe(t.app.logger);
    expect(t.app.container.resolve(APP_EVENTS)).toBe(t.app.events);
  });

  it('gives each request its own request-scoped instances, shared within the request, disposed after', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(`${t.url}/api/di/${i}`).then((r) => r.json() as Promise<{ tally: number }>)));
    for (const [i, r] of results.entries()) {
      expect(r).toMatchObject({ n: String(i), sameInstance: true, path: `/api/di/${i}`, project: 'test-service' });
    }
    expect(new Set(results.map((r) => r.tally)).size).toBe(20);
    expect(seen.every((tally) => tally.disposed)).toBe(true);
  });

  it('keeps two apps in one process apart', async () => {
    const other: M8App = await bootstrap(createTestSettings({ PROJECT_NAME: 'other' }), { controllers: [] });
    expect(other.container.resolve(SETTINGS).PROJECT_NAME).toBe('other');
    expect(t.app.container.resolve(SETTINGS).PROJECT_NAME).toBe('test-service');
    await other.close();
  });
});
