import 'reflect-metadata';
import { Get, JsonController, Param } from 'routing-controllers';
import { ConsumerServiceSettings, bootstrap } from '@m8/core';
import { metrics } from '@m8/metrics';

@JsonController('/items')
class ItemsController {
  @Get('/:id')
  one(@Param('id') id: string) {
    return { id };
  }
}

/** Boots a service with metrics on, makes two requests, scrapes, and returns the request counter lines. */
export async function main(): Promise<string[]> {
  const settings = ConsumerServiceSettings.load({
    values: {
      PROJECT_NAME: 'items-service',
      ACCESS_SECRET_KEY: 'readme-example-secret-key-0123456789abcdef',
      TOKEN_MODE: 'stateless',
      AUTH_SERVICE_ROLE: 'consumer',
      LOG_LEVEL: 'warn',
      METRICS_ENABLED: true, // needs metrics() in the plugins: core refuses to start without it
      METRICS_GROUPS: 'traffic,performance,reliability,health',
      METRICS_SCRAPE_CREDENTIAL: 'scrape-secret',
    },
    env: {},
    envFile: false,
  });
  const app = await bootstrap(settings, { controllers: [ItemsController], plugins: [metrics()] });
  const { url } = await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
  try {
    await fetch(`${url}/api/items/1`);
    await fetch(`${url}/api/items/2`);
    const res = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
    const lines = (await res.text()).split('\n').filter((line) => line.startsWith('api_http_requests_total'));
    console.log(lines.join('\n'));
    // api_http_requests_total{method="GET",endpoint="/api/items/:id",status_code="200"} 2
    return lines;
  } finally {
    await app.close();
  }
}

if (require.main === module) void main();
