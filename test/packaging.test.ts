/**
 * The packages as a registry user gets them. Every package is packed with `pnpm pack` (which turns
 * `workspace:` ranges into versions), each tarball's contents and manifest are checked, and then the
 * tarballs are installed with npm — no pnpm, no workspace links — into one fresh `npm init -y`
 * project in a temp dir that grows step by step: (a) core, (b) + auth and testing, (c) + health,
 * (d) + db on embedded SQLite, (e) + metrics, (f) + openapi. After each install the project is
 * compiled with plain `tsc` and the tsconfig the root README recommends (`skipLibCheck: false`),
 * and that step's service (test/packaging/service/) runs and answers real requests. The README's
 * quick start and an ES module consumer run there too. Each install's size and package count are
 * printed (the root README's footprint table comes from them).
 *
 * Needs the npm registry (or npm's cache for what it has seen): when the registry cannot be reached
 * the suite says so and is skipped, except under CI=true, where that is a failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const PACKAGES = ['core', 'auth', 'health', 'db', 'metrics', 'openapi', 'testing'] as const;
type PackageName = (typeof PACKAGES)[number];
const SECRET = 'packaging-test-secret-of-32-characters!!';
const STEP_TIMEOUT = 240_000;

/**
 * What npm, pnpm and vitest set to describe the run that started us (the workspace's prefix, package,
 * user agent): a child npm must not install into the workspace, nor a service see vitest's NODE_ENV.
 * The user's own npm settings (npm_config_registry, npm_config_cache, ...) are kept.
 */
const PARENT_RUN = /^(npm_(lifecycle_|package_|command$|execpath$|node_execpath$|config_(local_prefix|prefix|global_prefix|user_agent)$)|NODE_OPTIONS$|NODE_ENV$|VITEST|PNPM_|TEST$|INIT_CWD$)/i;

/** The environment of npm and of the services: ours, minus what describes the parent run. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (PARENT_RUN.test(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

function npmRegistry(): string {
  const out = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8', env: cleanEnv() });
  return (out.stdout.trim() || 'https://registry.npmjs.org/').replace(/\/?$/, '/');
}

/** Whether the registry answers; the reason when it does not. */
async function probeRegistry(): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }> {
  const registry = npmRegistry();
  try {
    const response = await fetch(`${registry}reflect-metadata`, { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.ok ? { ok: true } : { ok: false, reason: `${registry} answered ${response.status}` };
  } catch (error) {
    return { ok: false, reason: `${registry} is unreachable (${(error as Error).cause ?? (error as Error).message})` };
  }
}

const registry = await probeRegistry();
if (!registry.ok) {
  const message = `packaging test: the npm registry is needed to install the tarballs' dependencies, and ${registry.reason}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: failing instead of skipping)`);
  console.warn(`${message}: SKIPPED`);
}

interface Run {
  readonly status: number | null;
  readonly output: string;
}

function run(cmd: string, args: readonly string[], cwd: string, timeout = 180_000): Run {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: cleanEnv(), timeout, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

function mustRun(cmd: string, args: readonly string[], cwd: string): string {
  const result = run(cmd, args, cwd);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status}):\n${result.output}`);
  return result.output;
}

function manifestOf(name: PackageName): Record<string, unknown> & { version: string } {
  return JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
}

/** `name@version` as core declares it (dependency or peer), so the project gets what core was built with. */
function coreRequirement(name: string): string {
  const core = manifestOf('core') as { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
  const range = core.peerDependencies?.[name] ?? core.dependencies?.[name];
  if (!range) throw new Error(`@m8/core declares no ${name}`);
  return `${name}@${range}`;
}

/** The tsconfig block the root README recommends to users (marked for this test). */
function recommendedTsconfig(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /<!-- packaging-test: tsconfig -->\s*\n```json\n([\s\S]*?)^```/m.exec(readme);
  if (!match) throw new Error('README.md has no block marked <!-- packaging-test: tsconfig -->');
  return match[1]!;
}

/** The README's quick start: its first block marked to run. */
function readmeQuickStart(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /<!-- doc-test: run -->\s*\n```ts\n([\s\S]*?)^```/m.exec(readme);
  if (!match) throw new Error('README.md has no runnable quick start');
  return match[1]!;
}

/** Bytes and package count of node_modules, from npm's own hidden lockfile. */
function footprint(project: string): { readonly bytes: number; readonly packages: number; readonly withInstallScripts: readonly string[] } {
  const lock = JSON.parse(readFileSync(join(project, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
  const entries = Object.entries(lock.packages).filter(([path]) => path !== '');
  return {
    bytes: directorySize(join(project, 'node_modules')),
    packages: entries.length,
    withInstallScripts: entries.filter(([, info]) => info.hasInstallScript).map(([path]) => path.replace(/^.*node_modules\//, '')),
  };
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

interface Service {
  readonly url: string;
  readonly extra: Record<string, string>;
  stop(): Promise<number | null>;
}

/** Starts `node <file>` in the project and resolves at its READY line (or rejects with its output). */
function startService(project: string, file: string, env: Record<string, string>): Promise<Service> {
  const child = spawn(process.execPath, [file], { cwd: project, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<Service>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} printed no READY line within 60 s:\n${output}`));
    }, 60_000);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^READY (.*)$/m.exec(output);
      if (!line) return;
      clearTimeout(timer);
      const { url, ...extra } = JSON.parse(line[1]!) as { url: string } & Record<string, string>;
      resolve({
        url,
        extra,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${code}) before READY:\n${output}`));
    });
  });
}

async function withService(project: string, file: string, env: Record<string, string>, use: (service: Service) => Promise<void>): Promise<void> {
  const service = await startService(project, file, env);
  try {
    await use(service);
  } finally {
    expect(await service.stop()).toBe(0); // graceful shutdown on SIGTERM
  }
}

describe.skipIf(!registry.ok)('packages installed from their tarballs with npm', () => {
  const work = mkdtempSync(join(tmpdir(), 'm8-packaging-'));
  const tarballs = join(work, 'tarballs');
  const project = join(work, 'project');
  const tarball = (name: PackageName): string => join(tarballs, `m8-${name}-${manifestOf(name).version}.tgz`);
  const serviceEnv = {
    PROJECT_NAME: 'packaging',
    TOKEN_MODE: 'stateless',
    AUTH_SERVICE_ROLE: 'consumer',
    ACCESS_SECRET_KEY: SECRET,
    LOG_LEVEL: 'warn',
    SELECTED_DB: 'Sqlite',
    DB_DATABASE: join(work, 'notes.sqlite'),
  };
  const footprints: { step: string; bytes: number; packages: number; addedBytes: number; addedPackages: number }[] = [];
  let before = { bytes: 0, packages: 0 };

  /** npm install in the project; records and prints what the install added. */
  function install(step: string, args: readonly string[]): void {
    const started = Date.now();
    mustRun('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...args], project);
    const now = footprint(project);
    const row = { step, bytes: now.bytes, packages: now.packages, addedBytes: now.bytes - before.bytes, addedPackages: now.packages - before.packages };
    footprints.push(row);
    console.log(`[packaging] ${step}: +${row.addedPackages} packages, +${mib(row.addedBytes)} (node_modules: ${row.packages} packages, ${mib(row.bytes)}) in ${Date.now() - started} ms`);
    before = now;
  }

  /** Copies the services into src/ and compiles the whole project with plain tsc. */
  function compile(files: readonly string[]): void {
    for (const file of files) cpSync(join(root, 'test', 'packaging', 'service', file), join(project, 'src', file));
    // Incremental: each step re-checks only what changed (the README's tsconfig itself is untouched).
    const tsc = run(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', '.tsbuildinfo'], project);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
  }

  beforeAll(() => {
    mkdirSync(tarballs, { recursive: true });
    mustRun(process.execPath, [join(root, 'scripts', 'pnpm.mjs'), '-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs], root);
    mkdirSync(join(project, 'src'), { recursive: true });
    mustRun('npm', ['init', '-y'], project);
    writeFileSync(join(project, 'tsconfig.json'), recommendedTsconfig());
  }, STEP_TIMEOUT);

  afterAll(() => {
    if (footprints.length > 0) {
      console.log(['[packaging] install footprint, step by step:', '| step | packages added | size added | node_modules |', '|---|---:|---:|---:|',
        ...footprints.map((f) => `| ${f.step} | ${f.addedPackages} | ${mib(f.addedBytes)} | ${f.packages} packages, ${mib(f.bytes)} |`)].join('\n'));
    }
    rmSync(work, { recursive: true, force: true });
  });

  describe.each(PACKAGES)('the @m8/%s tarball', (name) => {
    const list = (): string[] => mustRun('tar', ['-tzf', tarball(name)], root).split('\n').filter(Boolean).map((entry) => entry.replace(/^package\//, ''));
    const manifest = (): Record<string, unknown> => JSON.parse(mustRun('tar', ['-xzOf', tarball(name), 'package/package.json'], root));

    it('holds exactly the licence, readme, manifest and built output (no maps, no build info)', () => {
      const files = list();
      const allowed = name === 'openapi' ? /^(LICENSE|README\.md|package\.json|dist\/.+\.(js|d\.ts)|assets\/.+)$/ : /^(LICENSE|README\.md|package\.json|dist\/.+\.(js|d\.ts))$/;
      expect(files.filter((file) => !allowed.test(file))).toEqual([]);
      expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
      // Every compiled module ships with its declarations.
      const js = files.filter((file) => file.endsWith('.js') && file.startsWith('dist/'));
      expect(js.filter((file) => !files.includes(file.replace(/\.js$/, '.d.ts')))).toEqual([]);
      expect(js.length).toBe(readdirRecursive(join(root, 'packages', name, 'src')).filter((f) => f.endsWith('.ts')).length);
      expect(mustRun('tar', ['-xzOf', tarball(name), 'package/LICENSE'], root)).toMatch(/^MIT License\n/);
    });

    it('has a publishable manifest: no workspace: range, every entry point present, metadata complete', () => {
      const pkg = manifest();
      expect(JSON.stringify(pkg)).not.toContain('workspace:');
      const files = list();
      const exportsMap = pkg.exports as Record<string, Record<string, string> | string>;
      expect(Object.keys(exportsMap['.'] as Record<string, string>)[0]).toBe('types'); // TypeScript reads the first match
      const targets = [pkg.main, pkg.types, ...Object.values(exportsMap).flatMap((v) => (typeof v === 'string' ? [v] : Object.values(v))), ...Object.values((pkg.bin as Record<string, string>) ?? {})];
      expect(targets.map((t) => String(t).replace(/^\.\//, '')).filter((t) => !files.includes(t))).toEqual([]);
      expect(pkg).toMatchObject({
        license: 'MIT',
        engines: { node: '>=22.12' },
        repository: { type: 'git', directory: `packages/${name}` },
        publishConfig: { access: 'public' },
      });
      expect(typeof pkg.homepage).toBe('string');
      expect((pkg.bugs as { url: string }).url).toMatch(/^https:\/\//);
      expect((pkg.keywords as string[]).slice(0, 1)).toEqual(['m8']);
      expect(pkg).toHaveProperty('sideEffects');
      expect(pkg.scripts).not.toHaveProperty('postinstall');
      expect(pkg.scripts).not.toHaveProperty('install');
    });
  });

  it('the @m8/openapi tarball carries the Swagger UI and ReDoc files it serves, with their licences', () => {
    const files = mustRun('tar', ['-tzf', tarball('openapi')], root).split('\n').filter((f) => f.startsWith('package/assets/')).map((f) => f.replace('package/assets/', '')).sort();
    expect(files).toEqual([
      'redoc/LICENSE',
      'redoc/redoc.standalone.js',
      'redoc/redoc.standalone.js.LICENSE.txt',
      'swagger-ui/LICENSE',
      'swagger-ui/NOTICE',
      'swagger-ui/favicon-16x16.png',
      'swagger-ui/favicon-32x32.png',
      'swagger-ui/index.css',
      'swagger-ui/oauth2-redirect.js',
      'swagger-ui/swagger-ui-bundle.js',
      'swagger-ui/swagger-ui-bundle.js.LICENSE.txt',
      'swagger-ui/swagger-ui.css',
    ]);
    const pkg = JSON.parse(mustRun('tar', ['-xzOf', tarball('openapi'), 'package/package.json'], root)) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toContain('swagger-ui-dist');
    expect(Object.keys(pkg.dependencies)).not.toContain('redoc');
  });

  it('(a) core alone: a controller with an injected service answers, from CommonJS and from an ES module', async () => {
    install('typescript + @types/node (dev)', ['-D', 'typescript@5.9.3', '@types/node@22']);
    const peers = ['reflect-metadata', 'routing-controllers', 'class-validator', 'class-transformer', 'tsyringe', 'koa'].map(coreRequirement);
    install('@m8/core (+ its peers)', [tarball('core'), ...peers]);
    compile(['serve.ts', 'greeting.ts', 'core-only.ts', 'esm-consumer.mts']);
    await withService(project, 'dist/core-only.js', serviceEnv, async ({ url }) => {
      const response = await fetch(`${url}/api/greeting/`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ message: 'hello, packaging' });
      expect((await fetch(`${url}/api/health/`)).status).toBe(404); // no @m8/health: no health route
    });
    await withService(project, 'dist/esm-consumer.mjs', serviceEnv, async ({ url }) => {
      const response = await fetch(`${url}/api/esm/`);
      expect(await response.json()).toEqual({ module: 'esm', core: manifestOf('core').version });
    });
  }, STEP_TIMEOUT);

  it('(b) + auth (and testing): 200 for an admin, 403 for a user, 401 without a token', async () => {
    install('@m8/auth', [tarball('auth')]);
    install('@m8/testing (dev)', ['-D', tarball('testing')]);
    compile(['reports.ts', 'with-auth.ts']);
    await withService(project, 'dist/with-auth.js', serviceEnv, async ({ url, extra }) => {
      const as = (token?: string) => fetch(`${url}/api/reports/`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
      const admin = await as(extra.admin);
      expect(admin.status).toBe(200);
      expect(await admin.json()).toEqual({ for: 'admin@example.com' });
      const user = await as(extra.user);
      expect(user.status).toBe(403);
      expect(await user.json()).toEqual({ detail: "The user doesn't have enough privileges" });
      const anonymous = await as();
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({ detail: 'Not authenticated' });
    });
  }, STEP_TIMEOUT);

  it('(c) + health: /api/health/ and /api/ping; the README quick start compiles and runs', async () => {
    install('@m8/health', [tarball('health')]);
    writeFileSync(join(project, 'src', 'quickstart.ts'), readmeQuickStart());
    compile(['with-health.ts']);
    await withService(project, 'dist/with-health.js', serviceEnv, async ({ url }) => {
      const health = await fetch(`${url}/api/health/`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ping = await fetch(`${url}/api/ping`);
      expect(ping.status).toBe(200);
    });
    const quickStart = run(process.execPath, ['dist/quickstart.js'], project, 60_000);
    expect(quickStart.output).toBe('200 403 401\n');
    expect(quickStart.status).toBe(0);
  }, STEP_TIMEOUT);

  it('(d) + db on embedded SQLite: a write, then a read', async () => {
    install('@m8/db + @mikro-orm/core + @mikro-orm/libsql', [tarball('db'), '@mikro-orm/core@6.6.16', '@mikro-orm/libsql@6.6.16']);
    compile(['with-db.ts']);
    await withService(project, 'dist/with-db.js', serviceEnv, async ({ url }) => {
      const created = await fetch(`${url}/api/notes/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'from a tarball' }) });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ id: 1, text: 'from a tarball' });
      expect(await (await fetch(`${url}/api/notes/`)).json()).toEqual([{ id: 1, text: 'from a tarball' }]);
      expect(await (await fetch(`${url}/api/health/`)).json()).toEqual({ status: 'ok' });
    });
  }, STEP_TIMEOUT);

  it('(e) + metrics: /metrics serves Prometheus text with the request just made', async () => {
    install('@m8/metrics', [tarball('metrics')]);
    compile(['with-metrics.ts']);
    await withService(project, 'dist/with-metrics.js', serviceEnv, async ({ url }) => {
      expect((await fetch(`${url}/api/greeting/`)).status).toBe(200);
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text.split('\n')).toContain('api_http_requests_total{method="GET",endpoint="/api/greeting",status_code="200"} 1');
    });
  }, STEP_TIMEOUT);

  it('(f) + openapi: /api/openapi.json, the docs pages and their assets; nothing installed runs a script', async () => {
    install('@m8/openapi', [tarball('openapi')]);
    expect(footprint(project).withInstallScripts.filter((name) => !['libsql'].includes(name))).toEqual([]);
    compile(['with-openapi.ts']);
    await withService(project, 'dist/with-openapi.js', serviceEnv, async ({ url }) => {
      const document = (await (await fetch(`${url}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi).toMatch(/^3\./);
      expect(Object.keys(document.paths).sort()).toEqual(['/api/greeting/', '/api/reports/']);
      const pages = {
        '/api/docs': ['swagger-ui.css', 'index.css', 'favicon-32x32.png', 'favicon-16x16.png', 'swagger-ui-bundle.js', 'swagger-initializer.js'],
        '/api/redoc': ['favicon-32x32.png', 'redoc.standalone.js', 'redoc-init.js'],
      };
      for (const [page, expected] of Object.entries(pages)) {
        const response = await fetch(`${url}${page}`);
        expect(response.status).toBe(200);
        const html = await response.text();
        const assets = [...html.matchAll(/(?:src|href)="(\/api\/[^"]+\/assets\/[^"]+)"/g)].map((m) => m[1]!);
        expect(assets.map((a) => a.replace(/^.*\/assets\/([^?]+)\?v=.*$/, '$1'))).toEqual(expected);
        for (const asset of assets) expect([asset, (await fetch(`${url}${asset}`)).status]).toEqual([asset, 200]);
      }
    });
  }, STEP_TIMEOUT);
});

function readdirRecursive(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? readdirRecursive(join(dir, entry.name)).map((f) => `${entry.name}/${f}`) : [entry.name]));
}
