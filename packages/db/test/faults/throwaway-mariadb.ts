/**
 * A private MariaDB server for fault tests: `mariadb-install-db` into a temp datadir, `mariadbd` on
 * an ephemeral port and socket, without grant tables (tests never depend on them). Never the
 * machine's shared server. Always stopped and removed by `stop()` (and at process exit).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../test/support/ports';

const INSTALL_DB = 'mariadb-install-db';
const SERVER = 'mariadbd';

function which(tool: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin']) {
    if (dir && spawnSync('test', ['-x', join(dir, tool)]).status === 0) return join(dir, tool);
  }
  return undefined;
}

/** Why a throwaway MariaDB cannot run here, or undefined when it can. */
export function mariadbSkipReason(): string | undefined {
  if (which(INSTALL_DB) === undefined) return `${INSTALL_DB} is not installed (no MariaDB server binaries)`;
  if (which(SERVER) === undefined) return `${SERVER} is not installed`;
  return undefined;
}

export class ThrowawayMariaDb {
  private child: ChildProcess | undefined;
  private stopped = false;
  private readonly onExit = (): void => this.stopSync();

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    process.once('exit', this.onExit);
  }

  static async create(): Promise<ThrowawayMariaDb> {
    const dir = mkdtempSync(join(tmpdir(), 'm8-mariadb-'));
    const server = new ThrowawayMariaDb(dir, await freePort());
    execFileSync(which(INSTALL_DB)!, ['--no-defaults', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root'], {
      stdio: 'pipe',
    });
    await server.start();
    execFileSync('mariadb', ['-h127.0.0.1', `-P${server.port}`, '-uroot', '-e', 'create database faults'], { stdio: 'pipe' });
    return server;
  }

  /** Settings values that reach this server's `faults` database. */
  get values(): Record<string, unknown> {
    return { SELECTED_DB: 'Mysql', DB_HOST: '127.0.0.1', DB_PORT: this.port, DB_USER: 'root', DB_DATABASE: 'faults' };
  }

  async start(): Promise<void> {
    this.child = spawn(
      which(SERVER)!,
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.dir, 'sock')}`,
        `--pid-file=${join(this.dir, 'pid')}`,
        '--user=root',
        '--skip-grant-tables',
        '--innodb-flush-log-at-trx-commit=1',
      ],
      { stdio: 'ignore' },
    );
    await this.waitForPort();
  }

  /** Restarts after a kill -9 (InnoDB recovers from its redo log). */
  restart(): Promise<void> {
    return this.start();
  }

  get pid(): number {
    return this.child!.pid!;
  }

  kill9(): void {
    this.child!.kill('SIGKILL');
  }

  freeze(): number[] {
    process.kill(this.pid, 'SIGSTOP');
    return [this.pid];
  }

  thaw(pids: number[]): void {
    for (const pid of pids) process.kill(pid, 'SIGCONT');
  }

  stop(): void {
    this.stopSync();
    process.off('exit', this.onExit);
  }

  private stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(this.pid, 'SIGCONT');
      } catch {
        // already gone
      }
      this.child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Resolves once the server accepts a TCP connection and sends its greeting. */
  private async waitForPort(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const greeted = await new Promise<boolean>((resolve) => {
        const socket = createConnection(this.port, '127.0.0.1');
        socket.once('data', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
        socket.setTimeout(1_000, () => (socket.destroy(), resolve(false)));
      });
      if (greeted) return;
      if (this.child!.exitCode !== null || Date.now() > deadline) throw new Error(`mariadbd did not start (exit ${this.child!.exitCode})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
