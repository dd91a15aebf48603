/**
 * A private PostgreSQL cluster for fault tests: initdb into a temp dir, an ephemeral port, run as
 * the `postgres` user (initdb and pg_ctl refuse root). Never the machine's shared server. Killed
 * with -9, frozen with SIGSTOP and restarted by the tests; always stopped and removed by `stop()`
 * (and at process exit, should a test crash first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants } from './processes';
import { freePort } from '../../../../test/support/ports';

/** Why a throwaway cluster cannot run here, or undefined when it can. */
export function postgresSkipReason(): string | undefined {
  const bindir = postgresBindir();
  if (bindir === undefined) return 'pg_config is not installed (no PostgreSQL server binaries)';
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(bindir, tool))) return `${tool} is missing from ${bindir}`;
  }
  if (process.getuid?.() !== 0 || spawnSync('id', ['-u', 'postgres']).status !== 0) return 'needs root and a postgres user to run initdb as postgres';
  return undefined;
}

function postgresBindir(): string | undefined {
  const found = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export class ThrowawayPostgres {
  private stopped = false;
  private readonly onExit = (): void => this.stopSync();

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bindir: string,
  ) {
    process.once('exit', this.onExit);
  }

  static async create(): Promise<ThrowawayPostgres> {
    const bindir = postgresBindir()!;
    const dir = mkdtempSync(join(tmpdir(), 'm8-pg-'));
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    const pg = new ThrowawayPostgres(dir, await freePort(), bindir);
    pg.asPostgres('initdb', ['-D', pg.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    pg.start();
    return pg;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Settings values that reach this cluster's `postgres` database. */
  get values(): Record<string, unknown> {
    return { SELECTED_DB: 'Postgres', DB_HOST: '127.0.0.1', DB_PORT: this.port, DB_USER: 'postgres', DB_DATABASE: 'postgres' };
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=on`;
    this.asPostgres('pg_ctl', ['-D', this.dataDir, '-w', '-t', '60', '-l', join(this.dir, 'log'), '-o', options, 'start']);
  }

  /** Restarts after a kill -9: waits for the old backends to go (they hold the shared memory). */
  async restart(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.start();
        return;
      } catch (error) {
        if (attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** The postmaster's pid (first line of postmaster.pid). */
  postmasterPid(): number {
    return Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  }

  /** The postmaster and every backend, for SIGSTOP/SIGCONT. */
  allPids(): number[] {
    const pid = this.postmasterPid();
    return [pid, ...descendants(pid)];
  }

  kill9(): void {
    process.kill(this.postmasterPid(), 'SIGKILL');
  }

  freeze(): number[] {
    const pids = this.allPids();
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    return pids;
  }

  thaw(pids: number[]): void {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // a backend that ended meanwhile
      }
    }
  }

  stop(): void {
    this.stopSync();
    process.off('exit', this.onExit);
  }

  private stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    try {
      for (const pid of this.allPids()) process.kill(pid, 'SIGCONT');
    } catch {
      // not running
    }
    spawnSync('runuser', ['-u', 'postgres', '--', join(this.bindir, 'pg_ctl'), '-D', this.dataDir, '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private asPostgres(tool: string, args: string[]): void {
    execFileSync('runuser', ['-u', 'postgres', '--', join(this.bindir, tool), ...args], { stdio: 'pipe', cwd: this.dir });
  }
}
