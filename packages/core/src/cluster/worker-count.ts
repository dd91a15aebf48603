/** `WORKERS` → how many processes serve: an integer as given, or `auto` = the cores this process may use. */
import { availableParallelism } from 'node:os';

export function workerCount(setting: string, cores: number = availableParallelism()): number {
  return setting === 'auto' ? Math.max(1, cores) : Number(setting);
}
