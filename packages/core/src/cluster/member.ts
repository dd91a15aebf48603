/**
 * The worker side of a `WORKERS` > 1 service: reports this worker's lifecycle state to the primary,
 * keeps the primary's view of all workers (for health), and gathers values from every worker (for
 * `/metrics`). Registered by `serve()` under `CLUSTER_MEMBER` before the app is built, so plugins
 * find it in their `setup()`.
 */
import { isClusterMessage, type ClusterMessage } from './messages';
import type { LifecycleState } from '../lifecycle/state';
import { M8Error } from '../m8-error';

/** A gather was not answered in time (the primary is gone or overloaded). */
export class ClusterGatherError extends M8Error {
  static override readonly code = 'ERR_M8_CLUSTER_GATHER';
  override readonly code = ClusterGatherError.code;
  constructor(topic: string, timeoutMs: number) {
    super(`no answer from the cluster primary for "${topic}" within ${timeoutMs} ms`);
  }
}

/** How many workers the service runs, and how many of them are ready (as the primary last said). */
export interface WorkersView {
  readonly expected: number;
  readonly ready: number;
}

/** What `serve()` hands a worker's plugins: its view of the cluster and the gather channel. */
export interface ClusterMember {
  /** The primary's last word on the workers (before it says anything: this one, not ready yet). */
  workers(): WorkersView;
  /** Collects `topic` from every live worker (this one included), through the primary. */
  gather(topic: string, timeoutMs?: number): Promise<unknown[]>;
  /** What this worker answers when some worker gathers `topic`. */
  answer(topic: string, collect: () => unknown): void;
}

type Channel = Pick<NodeJS.Process, 'send' | 'on' | 'off' | 'connected'>;

export class IpcClusterMember implements ClusterMember {
  private view: WorkersView;
  private nextId = 1;
  private readonly pending = new Map<number, (results: unknown[]) => void>();
  private readonly answerers = new Map<string, () => unknown>();
  private readonly onMessage = (message: unknown): void => this.receive(message);

  constructor(
    expected: number,
    private readonly channel: Channel = process,
  ) {
    this.view = { expected, ready: 0 };
    channel.on('message', this.onMessage);
  }

  workers(): WorkersView {
    return this.view;
  }

  answer(topic: string, collect: () => unknown): void {
    this.answerers.set(topic, collect);
  }

  gather(topic: string, timeoutMs = 2000): Promise<unknown[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ClusterGatherError(topic, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, (results) => {
        clearTimeout(timer);
        resolve(results);
      });
      this.send({ m8: 'gather', id, topic });
    });
  }

  /** Tells the primary this worker's state (`ready` once listening, `shutting_down` on close). */
  reportState(state: LifecycleState): void {
    this.send({ m8: 'state', state });
  }

  /** Stops listening to the primary. */
  close(): void {
    this.channel.off('message', this.onMessage);
  }

  private send(message: ClusterMessage): void {
    // Without a channel (the primary is gone) there is no one left to tell; a gather then times out.
    // (Sending on a closed channel would emit 'error' on the process, which crashes it.)
    if (this.channel.send === undefined || !this.channel.connected) return;
    this.channel.send(message);
  }

  private receive(message: unknown): void {
    if (!isClusterMessage(message)) return;
    if (message.m8 === 'workers') this.view = { expected: message.expected, ready: message.ready };
    else if (message.m8 === 'collect') void this.collect(message.id, message.topic);
    else if (message.m8 === 'gathered') {
      const settle = this.pending.get(message.id);
      this.pending.delete(message.id);
      settle?.(message.results);
    }
  }

  private async collect(id: number, topic: string): Promise<void> {
    const collect = this.answerers.get(topic);
    let data: unknown;
    try {
      data = collect === undefined ? undefined : await collect();
    } catch {
      data = undefined; // one worker's failure leaves its share out; the gather still answers
    }
    this.send({ m8: 'collected', id, data });
  }
}
