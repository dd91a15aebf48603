/**
 * The IPC messages between the cluster primary and its workers. Every message carries `m8` (its
 * kind), so messages an application sends over the same channel are left alone.
 */
import type { LifecycleState } from '../lifecycle/state';

/** Worker → primary: this worker's lifecycle state changed. */
export interface StateMessage {
  readonly m8: 'state';
  readonly state: LifecycleState;
}
/** Worker → primary: collect `topic` from every worker, answer with `gathered`. */
export interface GatherMessage {
  readonly m8: 'gather';
  readonly id: number;
  readonly topic: string;
}
/** Primary → worker: answer `topic` for a gather. */
export interface CollectMessage {
  readonly m8: 'collect';
  readonly id: number;
  readonly topic: string;
}
/** Worker → primary: this worker's answer to a collect (`data` undefined when it has none). */
export interface CollectedMessage {
  readonly m8: 'collected';
  readonly id: number;
  readonly data?: unknown;
}
/** Primary → worker: every live worker's answer to the worker's gather. */
export interface GatheredMessage {
  readonly m8: 'gathered';
  readonly id: number;
  readonly results: unknown[];
}
/** Primary → every worker: how many workers the service runs and how many are ready. */
export interface WorkersMessage {
  readonly m8: 'workers';
  readonly expected: number;
  readonly ready: number;
}

export type ClusterMessage = StateMessage | GatherMessage | CollectMessage | CollectedMessage | GatheredMessage | WorkersMessage;

const KINDS = new Set(['state', 'gather', 'collect', 'collected', 'gathered', 'workers']);

/** True for a message of ours (an object with a known `m8` kind). */
export function isClusterMessage(value: unknown): value is ClusterMessage {
  return typeof value === 'object' && value !== null && KINDS.has((value as { m8?: unknown }).m8 as string);
}
