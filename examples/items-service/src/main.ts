import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { serve } from '@m8/core';
import { createApp } from './app';
import { loadSettings, type Settings } from './core/config';

/** `npm start -- --stateful`: a stateful consumer, with a local fake issuer answering its jti-status calls. */
const STATEFUL = process.argv.includes('--stateful');
const REVOKED_JTI = 'revoked-by-the-local-issuer';

async function main(): Promise<void> {
  if (STATEFUL && loadSettings().ENVIRONMENT !== 'local') {
    throw new Error('--stateful starts a fake issuer: local work only (ENVIRONMENT=local)');
  }
  const issuer = STATEFUL ? await startLocalIssuer() : undefined;
  const settings = loadSettings(issuer?.settings ?? {});
  // WORKERS > 1: this process supervises that many workers, each running createApp() (see @m8/core's README).
  const served = await serve(settings, () => createApp(settings));
  if (served.role !== 'single') return;
  const { app, listening } = served;
  if (settings.ENVIRONMENT === 'local') {
    await new Promise<void>((resolve) => app.logger.flush(() => resolve())); // the banner after the 'ready' line
    await printTryIt(listening.url, settings);
  }
}

/**
 * @m8/testing's fake issuer on 127.0.0.1, answering like the m8 auth service's jti-status
 * endpoint: every jti active except `REVOKED_JTI`. Local work only.
 */
async function startLocalIssuer(): Promise<{ settings: Partial<Record<keyof Settings, unknown>> }> {
  const { startFakeIssuer } = await import('@m8/testing');
  const secret = randomBytes(24).toString('base64url');
  const issuer = await startFakeIssuer({ secret });
  issuer.revoke(REVOKED_JTI);
  return {
    settings: { TOKEN_MODE: 'stateful', AUTH_SERVICE_ROLE: 'consumer', INTROSPECTION_URL: issuer.url, PRIVATE_API_SECRET: secret },
  };
}

/**
 * Local only: curl lines with freshly minted tokens, so a newcomer sees 200, 401 and 403 at once.
 * @m8/testing is a dev dependency, loaded only here: a production image does not contain it.
 */
async function printTryIt(url: string, settings: Settings): Promise<void> {
  const { TokenFactory } = await import('@m8/testing');
  const tokens = TokenFactory.hs256(settings.ACCESS_SECRET_KEY!);
  const api = `${url}${settings.apiPrefix}`;
  const bearer = (role: string, superuser = false, jti?: string) =>
    `-H "Authorization: Bearer ${tokens.mint({ role, is_superuser: superuser, email: `${role}@example.com`, ...(jti ? { jti } : {}) })}"`;
  const lines = [
    '',
    `items-service is ready on ${url}${STATEFUL ? ' as a stateful consumer of a local fake issuer' : ''} — try it (tokens valid 30 minutes):`,
    '',
    `# 200: any user may list items${STATEFUL ? ' (the issuer says the token is active)' : ''}`,
    `curl -i ${bearer('user')} ${api}/items/`,
    ...(STATEFUL ? ['# 401 "Token has been revoked.": the issuer says this jti is revoked', `curl -i ${bearer('user', false, REVOKED_JTI)} ${api}/items/`] : []),
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
  // Exit rather than set exitCode: a started fake issuer or pool would otherwise keep the process alive.
  process.exit(1);
});
