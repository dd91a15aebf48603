import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './readme-example';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('shows readme-example.ts verbatim as its runnable example', () => {
    const block = /## Example\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(readFileSync(join(__dirname, 'readme-example.ts'), 'utf8'));
  });

  it('runs: the example counts both requests under the route template', async () => {
    expect(await main()).toEqual(['api_http_requests_total{method="GET",endpoint="/api/items/:id",status_code="200"} 2']);
  });

  it('lists every metric family the plugin can register', async () => {
    const { metrics } = await import('@m8/metrics');
    const { ConsumerServiceSettings, AppEvents } = await import('@m8/core');
    const settings = ConsumerServiceSettings.load({
      values: { PROJECT_NAME: 'x', ACCESS_SECRET_KEY: 'x'.repeat(40), API_PREFIX: '', METRICS_GROUPS: 'all' },
      env: {},
      envFile: false,
    });
    const plugin = metrics();
    plugin.setup({
      settings,
      container: { register: () => undefined, isRegistered: () => false },
      logger: { debug: () => undefined },
      events: new AppEvents(),
      state: 'initializing',
      plugins: [],
      authorize: () => undefined,
      serviceName: 'x',
      serviceVersion: '0',
      apiPrefix: '',
      use: () => undefined,
      route: () => undefined,
      onClose: () => undefined,
    } as never);
    const names = plugin.registry.getMetricsAsArray().map((m: { name: string }) => m.name).filter((n: string) => !/^(process|nodejs)_/.test(n));
    // Exactly the documented table: no metric undocumented, no documented metric missing.
    const documented = [...readme.matchAll(/^\| `<p>(\w+)` \|/gm)].map((match) => match[1]!);
    expect([...names].sort()).toEqual([...documented].sort());
  });
});
