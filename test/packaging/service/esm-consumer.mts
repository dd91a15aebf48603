// Step a, from an ES module: the CommonJS packages imported with named imports (Node's CJS interop).
import 'reflect-metadata';
import { Get, JsonController } from 'routing-controllers';
import { bootstrap, ConsumerServiceSettings, VERSION } from '@m8/core';

@JsonController('/esm')
class EsmController {
  @Get('/')
  get(): { module: string; core: string } {
    return { module: 'esm', core: VERSION };
  }
}

const settings = ConsumerServiceSettings.load({ envFile: false });
const app = await bootstrap(settings, { controllers: [EsmController] });
const { url } = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`READY ${JSON.stringify({ url })}\n`);
