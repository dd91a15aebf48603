/** Runs test/fixtures/service.cjs (built @m8/core) as a child process and watches its output. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

export interface ServiceProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Resolves once `predicate` holds for stdout/stderr (checked on every chunk). */
  waitFor(predicate: (stdout: string, stderr: string) => boolean, what: string, timeoutMs?: number): Promise<void>;
  kill(): void;
}

const DEPLOYED_HOSTS = {
  DOMAIN: 'service.test',
  BACKEND_HOST: 'https://service.test',
  FRONTEND_HOST: 'https://app.service.test',
  BACKEND_CORS_ORIGINS: 'https://app.service.test',
};

export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  // Deployed-looking hosts: with ENVIRONMENT=production the local defaults would fail the start
  // (configuration posture), and in local they would add a warning line to the logs under test.
  const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'service.cjs')], { env: { PATH: process.env.PATH ?? '', ...DEPLOYED_HOSTS, ...env } });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const poke = (): void => waiters.forEach((w) => w());
  child.stdout.on('data', (chunk) => ((out += String(chunk)), poke()));
  child.stderr.on('data', (chunk) => ((err += String(chunk)), poke()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (resolve(code), poke())));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const waitFor = (predicate: (o: string, e: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${what}: not seen within ${timeoutMs} ms\n${out}\n${err}`)), timeoutMs);
      const check = (): void => {
        if (predicate(out, err)) done();
        else if (exitCode !== undefined) done(new Error(`${what}: the process exited (${exitCode}) first\n${out}\n${err}`));
      };
      const done = (error?: Error): void => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve();
      };
      waiters.add(check);
      check();
    });
  try {
    await waitFor((_o, e) => /LISTENING (http:\/\/\S+)/.test(e), 'listening');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const url = /LISTENING (http:\/\/\S+)/.exec(err)![1]!;
  return {
    child,
    url,
    exited,
    stdout: () => out,
    stderr: () => err,
    waitFor,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
