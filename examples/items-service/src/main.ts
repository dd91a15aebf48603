import 'reflect-metadata';
import { createApp } from './app';
import { loadSettings, type Settings } from './core/config';

async function main(): Promise<void> {
  const settings = loadSettings();
  const app = await createApp(settings);
  const { url } = await app.listen();
  if (settings.ENVIRONMENT === 'local') {
    await new Promise<void>((resolve) => app.logger.flush(() => resolve())); // the banner after the 'ready' line
    await printTryIt(url, settings);
  }
}

/**
 * Local only: curl lines with freshly minted tokens, so a newcomer sees 200, 401 and 403 at once.
 * @m8/testing is a dev dependency, loaded only here: a production image does not contain it.
 */
async function printTryIt(url: string, settings: Settings): Promise<void> {
  const { TokenFactory } = await import('@m8/testing');
  const tokens = TokenFactory.hs256(settings.ACCESS_SECRET_KEY!);
  const api = `${url}${settings.apiPrefix}`;
  const bearer = (role: string, superuser = false) => `-H "Authorization: Bearer ${tokens.mint({ role, is_superuser: superuser, email: `${role}@example.com` })}"`;
  const lines = [
    '',
    `items-service is ready on ${url} — try it (tokens valid 30 minutes):`,
    '',
    `# 200: any user may list items`,
    `curl -i ${bearer('user')} ${api}/items/`,
    `# 401: no token`,
    `curl -i ${api}/items/`,
    `# 403: a reader may not create items`,
    `curl -i -X POST -H "Content-Type: application/json" -d '{"title":"first"}' ${bearer('reader')} ${api}/items/`,
    `# 201: a writer may`,
    `curl -i -X POST -H "Content-Type: application/json" -d '{"title":"first"}' ${bearer('writer')} ${api}/items/`,
    `# 200: a superadmin (role superadmin and is_superuser)`,
    `curl -i -X POST ${bearer('superadmin', true)} ${api}/admin/bootstrap`,
    `# API docs: open ${api}/docs (Swagger UI) or ${api}/redoc`,
    `# health (add -H "X-Internal-Token: ..." for detail) and metrics`,
    `curl -i ${api}/health/`,
    `curl -s ${url}/metrics | head`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`items-service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
