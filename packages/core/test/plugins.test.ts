/** The plugin list of `bootstrap()`: order, the checks it makes at start, and their coded errors. */
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  AppSealedError,
  AuthProviderConflictError,
  bootstrap,
  CompatibilityError,
  DuplicatePackageError,
  DuplicatePluginError,
  installCommand,
  MissingPluginError,
  packageManager,
  VERSION,
  type AppContext,
  type M8Plugin,
} from './support';
import { createTestSettings } from '@m8/testing';

const temp = mkdtempSync(join(tmpdir(), 'm8-plugins-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const agent = process.env.npm_config_user_agent;
afterEach(() => {
  if (agent === undefined) delete process.env.npm_config_user_agent;
  else process.env.npm_config_user_agent = agent;
});

function plugin(name: string, setup: (app: AppContext) => void = () => undefined): M8Plugin {
  return { name, setup };
}

describe('the plugin list', () => {
  it('sets plugins up in list order and closes them in reverse', async () => {
    const calls: string[] = [];
    const traced = (name: string): M8Plugin =>
      plugin(name, (app) => {
        calls.push(`setup ${name}`);
        app.onClose(name, () => void calls.push(`close ${name}`));
      });
    const app = await bootstrap(createTestSettings(), { controllers: [], plugins: [traced('db'), traced('auth'), traced('health')] });
    await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    await app.close();
    expect(calls).toEqual(['setup db', 'setup auth', 'setup health', 'close health', 'close auth', 'close db']);
  });

  it('refuses two plugins of one name', async () => {
    const failing = bootstrap(createTestSettings(), { controllers: [], plugins: [plugin('health'), plugin('db'), plugin('health')] });
    await expect(failing).rejects.toBeInstanceOf(DuplicatePluginError);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_M8_DUPLICATE_PLUGIN', message: expect.stringContaining('"health"') });
  });

  it('refuses METRICS_ENABLED=true without the metrics plugin, naming the package and the install command', async () => {
    process.env.npm_config_user_agent = 'pnpm/12.4.2 npm/? node/v20.20.0 linux x64';
    const failing = bootstrap(createTestSettings({ METRICS_ENABLED: true }), { controllers: [] });
    await expect(failing).rejects.toBeInstanceOf(MissingPluginError);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_M8_MISSING_PLUGIN', message: expect.stringContaining('@m8/metrics (pnpm add @m8/metrics)') });
  });

  it('refuses a second plugin supplying the auth checkers', async () => {
    const checkers = { authorizationChecker: () => true, currentUserChecker: () => undefined };
    const failing = bootstrap(createTestSettings(), {
      controllers: [],
      plugins: [plugin('auth', (app) => app.authorize(checkers)), plugin('other-auth', (app) => app.authorize(checkers))],
    });
    await expect(failing).rejects.toBeInstanceOf(AuthProviderConflictError);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_M8_AUTH_PROVIDER_CONFLICT' });
  });

  it('refuses a middleware added after bootstrap() built the pipeline', async () => {
    let context: AppContext | undefined;
    const app = await bootstrap(createTestSettings(), { controllers: [], plugins: [plugin('late', (c) => void (context = c))] });
    expect(() => context!.use('request', async (_ctx, next) => next())).toThrow(AppSealedError);
    await app.close();
  });

  it('checks the compatibility of the listed plugins only', async () => {
    const listed = { ...plugin('old'), package: { name: '@m8/old', version: '0.0.1' } };
    const failing = bootstrap(createTestSettings(), { controllers: [], plugins: [listed] });
    await expect(failing).rejects.toBeInstanceOf(CompatibilityError);
    await expect(failing).rejects.toMatchObject({ code: 'ERR_M8_INCOMPATIBLE_PACKAGES', problems: [expect.stringContaining('@m8/old 0.0.1')] });
    // An old m8 package lying in the service's node_modules, but not listed, does not matter.
    const service = join(temp, 'service');
    mkdirSync(join(service, 'node_modules', '@m8', 'metrics'), { recursive: true });
    writeFileSync(join(service, 'node_modules', '@m8', 'metrics', 'package.json'), JSON.stringify({ name: '@m8/metrics', version: '0.0.1' }));
    const cwd = process.cwd();
    process.chdir(service);
    try {
      const app = await bootstrap(createTestSettings(), { controllers: [], plugins: [{ ...plugin('fine'), package: { name: '@m8/fine', version: VERSION } }] });
      await app.close();
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('one copy of each shared library', () => {
  it('fails at start naming both paths when a plugin package would load its own tsyringe', async () => {
    // What npm does when the service pins another tsyringe: a nested copy under one package.
    const pluginDir = join(temp, 'project', 'node_modules', '@acme', 'm8-cache');
    mkdirSync(pluginDir, { recursive: true });
    writeFileSync(join(pluginDir, 'package.json'), JSON.stringify({ name: '@acme/m8-cache', version: VERSION }));
    const ours = realpathSync(dirname(require.resolve('tsyringe/package.json')));
    const nested = join(pluginDir, 'node_modules', 'tsyringe');
    cpSync(ours, nested, { recursive: true, dereference: true });
    const manifest = join(nested, 'package.json');
    const pkg = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(manifest, 'utf8'))) as { version: string };
    writeFileSync(manifest, JSON.stringify({ ...pkg, version: '4.8.0' }));

    const cache = { ...plugin('cache'), package: { name: '@acme/m8-cache', version: VERSION, path: pluginDir } };
    const failing = bootstrap(createTestSettings(), { controllers: [], plugins: [cache] });
    await expect(failing).rejects.toBeInstanceOf(DuplicatePackageError);
    const error = (await failing.catch((e: unknown) => e)) as DuplicatePackageError;
    expect(error.code).toBe('ERR_M8_DUPLICATE_PACKAGE');
    expect(error.duplicates.map((d) => d.package)).toEqual(['tsyringe']);
    expect(error.duplicates[0]!.copies.map((c) => [c.path, c.version])).toEqual([
      [ours, '4.10.0'],
      [realpathSync(nested), '4.8.0'],
    ]);
    expect(error.message).toContain(realpathSync(nested));
    expect(error.message).toContain(ours);
  });

  it('starts when a plugin package shares the service’s copies', async () => {
    const here = { ...plugin('here'), package: { name: '@m8/core', version: VERSION, path: join(__dirname, '..') } };
    const app = await bootstrap(createTestSettings(), { controllers: [], plugins: [here] });
    await app.listen({ port: 0, host: '127.0.0.1', handleSignals: false });
    expect(app.state).toBe('ready');
    await app.close();
    expect(app.state).toBe('closed');
  });
});

describe('install hints', () => {
  it.each([
    ['npm/11.6.0 node/v20.20.0 linux x64 workspaces/false', 'npm install @m8/metrics'],
    ['pnpm/12.4.2 npm/? node/v20.20.0 linux x64', 'pnpm add @m8/metrics'],
    ['yarn/4.9.1 npm/? node/v20.20.0 linux x64', 'yarn add @m8/metrics'],
    ['bun/1.2.0 npm/? node/v20.20.0 linux x64', 'bun add @m8/metrics'],
    ['', 'npm install @m8/metrics'],
    ['deno/2.1.0', 'npm install @m8/metrics'],
  ])('user agent "%s" → %s', (userAgent, command) => {
    expect(installCommand(['@m8/metrics'], packageManager(userAgent))).toBe(command);
  });
});
