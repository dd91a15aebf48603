import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Authorized, Get, JsonController, Param } from 'routing-controllers';
import { AuthPluginRequiredError, bootstrap, checkCompatibility, CompatibilityError, CAPABILITIES, VERSION, satisfiesCaret } from './support';
import { createTestSettings } from '@m8/testing';

@JsonController('/items')
class ItemsController {
  @Get('/:id')
  one(@Param('id') id: string) {
    return { id };
  }
}

@JsonController('/guarded')
class GuardedController {
  @Authorized()
  @Get('/')
  guarded() {
    return {};
  }
}

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, lines: () => chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('structured logs', () => {
  it('writes start-up, ready, one line per request and shutdown events as JSON, without tokens', async () => {
    const log = capture();
    const app = await bootstrap(createTestSettings({ LOG_LEVEL: 'info' }), { controllers: [ItemsController], logger: { destination: log.stream } });
    const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbmF0dXJl';
    await fetch(`${url}/api/items/42?token=${token}`, { headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': 'req-1' } });
    await app.close();

    const lines = log.lines();
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['starting', 'ready', 'request', 'shutting down', 'shutdown complete']));
    const request = lines.find((l) => l.msg === 'request')!;
    expect(request).toMatchObject({ requestId: 'req-1', method: 'GET', route: '/api/items/:id', status: 200, level: 'info', service: 'test-service' });
    expect(typeof request.durationMs).toBe('number');
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain('/api/items/42');
  });

  it('respects LOG_LEVEL', async () => {
    const log = capture();
    const app = await bootstrap(createTestSettings({ LOG_LEVEL: 'warn' }), { controllers: [ItemsController], logger: { destination: log.stream } });
    const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    await fetch(`${url}/api/items/1`);
    await app.close();
    // Only the warning about local defaults (DOMAIN, hosts) remains: no info line, no access log.
    expect(log.lines().map((line) => [line.level, line.event])).toEqual([['warn', 'configuration_posture']]);
  });
});

describe('wrong use fails at start', () => {
  it('refuses @Authorized controllers without an auth plugin, naming the fix', async () => {
    const failing = bootstrap(createTestSettings(), { controllers: [GuardedController] });
    await expect(failing).rejects.toBeInstanceOf(AuthPluginRequiredError);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_M8_AUTH_PLUGIN_REQUIRED', message: expect.stringMatching(/GuardedController.*buildAuthDeps/) });
  });
});

describe('version and compatibility', () => {
  it('exports VERSION and CAPABILITIES', () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(CAPABILITIES).toContain('lifecycle.graceful-shutdown');
  });

  it('lists every incompatible package in one readable error', () => {
    const plugins = [
      { name: 'auth', package: { name: '@m8/auth', version: '9.0.0' }, setup: () => undefined },
      { name: 'db', package: { name: '@m8/db', version: '0.99.0' }, setup: () => undefined },
      { name: 'health', package: { name: '@m8/health', version: VERSION }, setup: () => undefined },
    ];
    let error: unknown;
    try {
      checkCompatibility(plugins);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CompatibilityError);
    expect((error as CompatibilityError).code).toBe('ERR_M8_INCOMPATIBLE_PACKAGES');
    expect((error as CompatibilityError).problems).toEqual([expect.stringContaining('@m8/auth 9.0.0'), expect.stringContaining('@m8/db 0.99.0')]);
  });

  it('matches caret ranges the npm way', () => {
    expect(satisfiesCaret('0.1.5', '^0.1.0')).toBe(true);
    expect(satisfiesCaret('0.2.0', '^0.1.0')).toBe(false);
    expect(satisfiesCaret('1.4.0', '^1.2.0')).toBe(true);
    expect(satisfiesCaret('1.1.9', '^1.2.0')).toBe(false);
    expect(satisfiesCaret('2.0.0', '^1.2.0')).toBe(false);
  });
});
