/**
 * The primary of a `WORKERS` > 1 service (node:cluster). It serves no request itself: it forks the
 * workers (each an ordinary m8 app that listens on the shared port), restarts one that dies,
 * relays gathers between workers (aggregated `/metrics`), tells every worker how many are ready
 * (health), and on SIGTERM/SIGINT passes SIGTERM to every worker — each then drains like a single
 * process does — and exits once all are gone.
 */
import cluster, { type Worker } from 'node:cluster';
import { EventEmitter } from 'node:events';
import type { Logger } from '../logger';
import { isClusterMessage, type ClusterMessage } from './messages';

export interface ClusterPrimaryOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** After SIGTERM, how long workers get before they are killed: their own drain deadline plus a margin. */
  readonly stopTimeoutMs: number;
  /** Wait before restarting a worker that died within a second of the previous restart (no crash loop at full speed). */
  readonly restartBackoffMs?: number;
  /** How long a gather waits for every worker's answer. */
  readonly collectTimeoutMs?: number;
}

export interface WorkerExit {
  readonly workerId: number;
  readonly pid: number | undefined;
  readonly code: number | null;
  readonly signal: string | null;
  /** False once shutdown began: the worker was asked to stop. */
  readonly restarting: boolean;
}

interface PrimaryEvents {
  /** A worker said it is ready (listening and started). */
  'worker-ready': [{ workerId: number; pid: number | undefined }];
  'worker-exit': [WorkerExit];
  /** Every worker has exited after `stop()`. */
  stopped: [{ code: number }];
}

interface Gather {
  readonly requester: Worker;
  /** The requester's own id for this gather. */
  readonly replyId: number;
  readonly results: unknown[];
  readonly waiting: Set<number>;
  readonly timer: NodeJS.Timeout;
}

export class ClusterPrimary extends EventEmitter<PrimaryEvents> {
  private readonly ready = new Set<number>();
  private readonly gathers = new Map<number, Gather>();
  private nextGather = 1;
  private stopping: Promise<number> | undefined;
  private lastRestartAt = 0;
  private failedExits = 0;

  constructor(private readonly options: ClusterPrimaryOptions) {
    super();
  }

  /** Forks the workers and starts supervising them. */
  start(): void {
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    cluster.on('message', (worker, message) => this.onMessage(worker, message));
    for (let i = 0; i < this.options.workers; i++) this.fork();
    this.options.logger.info({ event: 'cluster_started', workers: this.options.workers }, `primary ${process.pid} runs ${this.options.workers} workers`);
  }

  /** Live workers' pids (for tests and diagnostics). */
  get pids(): number[] {
    return Object.values(cluster.workers ?? {}).flatMap((w) => (w?.process.pid === undefined ? [] : [w.process.pid]));
  }

  /**
   * SIGTERM to every worker (each drains), SIGKILL to those still alive after `stopTimeoutMs`.
   * Resolves with the exit code for the primary: 0 when every worker exited cleanly.
   */
  stop(): Promise<number> {
    this.stopping ??= new Promise((resolve) => {
      const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      this.options.logger.info({ event: 'cluster_stopping', workers: live.length }, 'stopping every worker');
      if (live.length === 0) return resolve(this.finish());
      const killer = setTimeout(() => {
        for (const w of live) if (!w.isDead()) w.process.kill('SIGKILL');
      }, this.options.stopTimeoutMs);
      let left = live.length;
      for (const w of live) {
        w.once('exit', () => {
          left -= 1;
          if (left === 0) {
            clearTimeout(killer);
            resolve(this.finish());
          }
        });
        w.process.kill('SIGTERM');
      }
    });
    return this.stopping;
  }

  /** SIGTERM/SIGINT → `stop()` then exit; a second signal kills the workers and exits at once. */
  handleSignals(): void {
    let received = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      received += 1;
      if (received > 1) {
        for (const pid of this.pids) process.kill(pid, 'SIGKILL');
        process.exit(1);
      }
      this.options.logger.info({ signal }, 'shutdown signal received');
      void this.stop().then((code) => process.exit(code));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  private finish(): number {
    const code = this.failedExits === 0 ? 0 : 1;
    this.options.logger.info({ event: 'cluster_stopped', code }, 'every worker stopped');
    this.emit('stopped', { code });
    return code;
  }

  private fork(): void {
    const worker = cluster.fork();
    worker.on('error', (error) => this.options.logger.warn({ err: error, workerId: worker.id }, 'worker channel error'));
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    this.ready.delete(worker.id);
    const restarting = this.stopping === undefined;
    if (!restarting && code !== 0) this.failedExits += 1;
    this.settleGathersWithout(worker.id);
    this.emit('worker-exit', { workerId: worker.id, pid: worker.process.pid, code, signal, restarting });
    this.broadcastWorkers();
    if (!restarting) return;
    this.options.logger.error({ event: 'worker_died', workerId: worker.id, pid: worker.process.pid, code, signal }, 'worker died: starting another');
    const now = Date.now();
    const delay = now - this.lastRestartAt < 1000 ? (this.options.restartBackoffMs ?? 1000) : 0;
    this.lastRestartAt = now + delay;
    setTimeout(() => {
      if (this.stopping === undefined) this.fork();
    }, delay).unref();
  }

  private onMessage(worker: Worker, message: unknown): void {
    if (!isClusterMessage(message)) return;
    if (message.m8 === 'state') {
      if (message.state === 'ready') {
        this.ready.add(worker.id);
        this.emit('worker-ready', { workerId: worker.id, pid: worker.process.pid });
      } else this.ready.delete(worker.id);
      this.broadcastWorkers();
    } else if (message.m8 === 'gather') this.startGather(worker, message.id, message.topic);
    else if (message.m8 === 'collected') this.collected(worker, message.id, message.data);
  }

  private broadcastWorkers(): void {
    this.broadcast({ m8: 'workers', expected: this.options.workers, ready: this.ready.size });
  }

  private broadcast(message: ClusterMessage): void {
    for (const w of Object.values(cluster.workers ?? {})) if (w?.isConnected()) w.send(message);
  }

  private startGather(requester: Worker, replyId: number, topic: string): void {
    const seq = this.nextGather++;
    const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
    const timer = setTimeout(() => this.finishGather(seq), this.options.collectTimeoutMs ?? 1500);
    this.gathers.set(seq, { requester, replyId, results: [], waiting: new Set(live.map((w) => w.id)), timer });
    for (const w of live) w.send({ m8: 'collect', id: seq, topic });
  }

  private collected(worker: Worker, seq: number, data: unknown): void {
    const gather = this.gathers.get(seq);
    if (gather === undefined || !gather.waiting.delete(worker.id)) return;
    if (data !== undefined) gather.results.push(data);
    if (gather.waiting.size === 0) this.finishGather(seq);
  }

  /** A worker that exits mid-gather will not answer: stop waiting for it. */
  private settleGathersWithout(workerId: number): void {
    for (const [seq, gather] of this.gathers) {
      if (gather.waiting.delete(workerId) && gather.waiting.size === 0) this.finishGather(seq);
    }
  }

  private finishGather(seq: number): void {
    const gather = this.gathers.get(seq);
    if (gather === undefined) return;
    this.gathers.delete(seq);
    clearTimeout(gather.timer);
    if (gather.requester.isConnected()) gather.requester.send({ m8: 'gathered', id: gather.replyId, results: gather.results });
  }
}
