/**
 * The deployment files: every Kubernetes manifest validates offline against the Kubernetes (and
 * Prometheus Operator) schemas, the manifests agree with each other and with the Dockerfile, and the
 * Dockerfile's runtime stage, emulated (the production dependencies `pnpm deploy --prod` copies, the
 * Dockerfile's CMD, the manifests' environment and secret files), answers every probe path and port
 * the manifests name. No container engine is needed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { createScratchDatabase, type ScratchDatabase } from '../../../test/support/scratch-database';
import { postgresUp } from './servers';
import { freePort } from '../../../test/support/ports';

const example = join(__dirname, '..');
const repo = join(example, '..', '..');
const manifestsDir = join(example, 'deploy', 'kubernetes');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  [key: string]: unknown;
}

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

const manifests: Manifest[] = readdirSync(manifestsDir)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) => parseAllDocuments(readFileSync(join(manifestsDir, file), 'utf8')).map((doc) => doc.toJS() as Manifest));
const find = <T>(kind: string): T => manifests.find((m) => m.kind === kind) as unknown as T;

type Container = {
  command?: string[];
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; value: string }>;
  volumeMounts: Array<{ mountPath: string }>;
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  startupProbe: { httpGet: { path: string; port: string } };
};
type PodSpec = { terminationGracePeriodSeconds: number; containers: Container[]; volumes: Array<{ secret: { secretName: string } }> };
const deployment = find<{ spec: { template: { spec: PodSpec } } }>('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0]!;
const config = find<{ data: Record<string, string> }>('ConfigMap').data;
const secret = find<{ metadata: { name: string }; stringData: Record<string, string> }>('Secret');
const job = find<{ spec: { template: { spec: PodSpec } } }>('Job').spec.template.spec.containers[0]!;

/** The Dockerfile with its line continuations joined. */
const dockerfile = readFileSync(join(example, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
const instruction = (name: string): string[] => [...dockerfile.matchAll(new RegExp(`^${name} (.*)$`, 'gm'))].map((m) => m[1]!);

describe('Kubernetes manifests', () => {
  it.each(manifests.map((m) => [`${m.kind} ${m.metadata.name}`, m] as const))('%s validates against its schema', (_, manifest) => {
    const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
    expect(Model, `no schema for ${manifest.apiVersion}/${manifest.kind}`).toBeTypeOf('function');
    expect(() => new Model!(manifest as never).validate()).not.toThrow();
  });

  it('a broken manifest fails the same validation (the check can fail)', () => {
    const broken = structuredClone(find<Manifest>('Deployment')) as { spec: { template: { spec: PodSpec } } } & Manifest;
    (broken.spec.template.spec.containers[0]!.ports[0] as { containerPort: unknown }).containerPort = '8000';
    expect(() => new Deployment(broken as never).validate()).toThrow(/containerPort must be integer/);
  });

  it('probes, Service, ServiceMonitor and Dockerfile agree on the port', () => {
    const http = container.ports.find((p) => p.name === 'http')!;
    expect(http.containerPort).toBe(8000);
    expect(container.env.find((e) => e.name === 'PORT')?.value).toBe(String(http.containerPort));
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) expect(probe.httpGet.port).toBe('http');
    expect(find<{ spec: { ports: Array<{ targetPort: string }> } }>('Service').spec.ports.map((p) => p.targetPort)).toEqual(['http']);
    expect(find<{ spec: { endpoints: Array<{ port: string; path: string }> } }>('ServiceMonitor').spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    expect(instruction('EXPOSE')).toEqual(['8000']);
    expect(instruction('ENV').join(' ')).toMatch(/PORT=8000/);
  });

  it('the grace period covers the shutdown delay and timeout, with a margin', () => {
    const delay = Number(config.SHUTDOWN_DELAY_SECONDS);
    const timeout = Number(config.SHUTDOWN_TIMEOUT_SECONDS);
    expect(delay).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(delay + timeout + 5);
  });

  it('every *_FILE setting points into the mounted secret, at a key the secret has', () => {
    const mount = container.volumeMounts[0]!.mountPath;
    expect(pod.volumes[0]!.secret.secretName).toBe(secret.metadata.name);
    const files = container.env.filter((e) => e.name.endsWith('_FILE'));
    expect(files.map((e) => e.name).sort()).toEqual(['ACCESS_SECRET_KEY_FILE', 'DB_PASSWORD_FILE', 'PRIVATE_API_SECRET_FILE']);
    for (const { value } of files) {
      expect(value.startsWith(`${mount}/`)).toBe(true);
      expect(Object.keys(secret.stringData)).toContain(value.slice(mount.length + 1));
    }
    expect(job.env.filter((e) => e.name.endsWith('_FILE'))).toEqual(files);
  });
});

function shell(command: string, cwd: string, env: Record<string, string>): ChildProcess {
  return spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', (code) => resolve(code))));
}

/**
 * Resolves once `url` answers 200, as Kubernetes' startup probe waits (it asks again until the
 * service answers, bounded by its failure threshold); rejects at once when the process exits.
 */
function answering(url: string, child: ChildProcess, output: { text: string }): Promise<void> {
  child.stdout!.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  const died = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`exited ${code} before answering:\n${output.text}`))));
  const probe = (async () => {
    for (let attempt = 0; attempt < 300; attempt++) {
      const status = await fetch(url).then((res) => res.status, () => 0);
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${url} did not answer 200:\n${output.text}`);
  })();
  return Promise.race([probe, died]);
}

describe.skipIf(!postgresUp)('the Dockerfile runtime stage with the manifests’ settings (PostgreSQL)', () => {
  let workdir: string;
  let image: string;
  let scratch: ScratchDatabase;
  let env: Record<string, string>;
  let service: ChildProcess | undefined;
  let port: number;
  const output = { text: '' };

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), 'm8-image-'));
    image = join(workdir, 'app');
    // What the build stage copies: the service and its production dependencies only. (Not
    // `--legacy`: that marks the workspace's own install as production-only, and the next pnpm
    // command there would remove its dev dependencies.)
    const deploy = spawnSync(process.execPath, [join(repo, '.tools/node_modules/pnpm/bin/pnpm.mjs'), '--filter', 'items-service', 'deploy', '--prod', image], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(deploy.status, deploy.stderr).toBe(0);
    scratch = await createScratchDatabase('Postgres', 'image');
    const secrets = join(workdir, 'secrets');
    mkdirSync(secrets);
    for (const key of Object.keys(secret.stringData)) writeFileSync(join(secrets, key), randomBytes(32).toString('base64url'));
    port = await freePort();
    const dockerEnv = Object.fromEntries(instruction('ENV').flatMap((line) => line.split(/\s+/).map((pair) => pair.split('=') as [string, string])));
    const mount = container.volumeMounts[0]!.mountPath;
    env = {
      PATH: process.env.PATH!,
      HOME: workdir,
      ...dockerEnv,
      ...config,
      ...Object.fromEntries(container.env.map((e) => [e.name, e.value.replace(mount, secrets)])),
      // The cluster's database and port are this test's.
      DB_HOST: '127.0.0.1',
      DB_USER: 'postgres',
      DB_DATABASE: scratch.name,
      PORT: String(port),
      HOST: '127.0.0.1',
    };
  }, 120_000);

  afterAll(async () => {
    if (service && service.exitCode === null) {
      service.kill('SIGKILL');
      await exited(service);
    }
    await scratch?.drop();
    if (workdir) rmSync(workdir, { recursive: true, force: true });
  });

  it('ships no dev dependency and no committed local.env', () => {
    expect(readdirSync(join(image, 'node_modules', '@m8')).sort()).toEqual(['auth', 'core', 'db', 'health', 'metrics', 'openapi']);
    expect(readdirSync(image)).not.toContain('local.env');
  });

  it('the migration Job’s command applies the migrations', async () => {
    const migrate = shell(job.command![2]!, image, env);
    let out = '';
    migrate.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    migrate.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    expect(await exited(migrate), out).toBe(0);
    expect(await scratch.sql('select count(*)::int as n from app_item')).toEqual([{ n: 0 }]);
  });

  it('the CMD starts the service, which answers every probe and the scrape path', { timeout: 60_000 }, async () => {
    const cmd = JSON.parse(instruction('CMD')[0]!) as string[];
    expect(cmd.slice(0, 2)).toEqual(['sh', '-c']);
    service = shell(cmd[2]!, image, env);
    const base = `http://127.0.0.1:${port}`;
    await answering(`${base}${container.startupProbe.httpGet.path}`, service, output);
    for (const path of [container.readinessProbe.httpGet.path, container.livenessProbe.httpGet.path, container.startupProbe.httpGet.path, '/metrics']) {
      const res = await fetch(`${base}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
    }
  });

  it('the HEALTHCHECK command exits 0 against it', () => {
    const healthcheck = /CMD (\[.*\])$/.exec(instruction('HEALTHCHECK')[0]!)![1]!;
    const [bin, ...args] = JSON.parse(healthcheck) as string[];
    expect(bin).toBe('node');
    const result = spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 10_000 });
    expect(result.status, result.stderr).toBe(0);
  });

  it('SIGTERM stops it with exit code 0', async () => {
    service!.kill('SIGTERM');
    expect(await exited(service!)).toBe(0);
  }, 60_000);
});
