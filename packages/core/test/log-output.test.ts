/**
 * Logs reach stdout at once (a quiet service's `ready` line while it runs, a request line right
 * after the request) in every environment, survive a SIGKILL, and read as pino-pretty lines with
 * LOG_FORMAT=pretty. The built @m8/core runs as a child process so stdout is a real pipe.
 */
import { describe, expect, it } from 'vitest';
import { resolveLogFormat } from '@m8/core';
import { startServiceProcess } from './support-process';

describe('resolveLogFormat', () => {
  it.each([
    [undefined, 'local', true, 'pretty'],
    [undefined, 'local', false, 'json'],
    [undefined, 'production', true, 'json'],
    [undefined, 'development', true, 'json'],
    ['json', 'local', true, 'json'],
    ['pretty', 'production', false, 'pretty'],
  ] as const)('LOG_FORMAT=%s, ENVIRONMENT=%s, terminal=%s → %s', (format, environment, tty, expected) => {
    expect(resolveLogFormat(format, environment, tty)).toBe(expected);
  });
});

describe('stdout, as a log collector sees it', () => {
  it.each(['production', 'local'])('ENVIRONMENT=%s: lines show within a second and survive SIGKILL', async (environment) => {
    const service = await startServiceProcess({ ENVIRONMENT: environment, LOG_LEVEL: 'info' });
    try {
      // `ready` is logged before listen() resolves: a quiet service must not hold it back.
      await service.waitFor((out) => out.includes('"msg":"ready"'), 'the ready line', 1_000);
      const res = await fetch(`${service.url}/hello`);
      expect(res.status).toBe(200);
      await service.waitFor((out) => out.includes('"route":"/hello"'), 'the access line', 1_000);
      service.child.kill('SIGKILL');
      await service.exited;
      const lines = service.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.msg)).toEqual(['starting', 'listening on ' + service.url, 'ready', 'request']);
      expect(lines[3]).toMatchObject({ method: 'GET', route: '/hello', status: 200 });
    } finally {
      service.kill();
    }
  });

  it('LOG_FORMAT=pretty prints readable lines, access lines included', async () => {
    const service = await startServiceProcess({ ENVIRONMENT: 'local', LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    try {
      await fetch(`${service.url}/hello`);
      await service.waitFor((out) => out.includes('/hello'), 'the access line', 2_000);
      const lines = service.stdout().split('\n').filter(Boolean);
      const plain = lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ''));
      expect(plain.some((l) => /INFO.*: ready$/.test(l))).toBe(true);
      expect(plain.some((l) => /INFO.*: request$/.test(l))).toBe(true);
      for (const line of lines) expect(line.startsWith('{')).toBe(false);
    } finally {
      service.kill();
    }
  });
});
