/** Errors of the start-up and shutdown time boxes, each with a stable `code`. */
import { M8Error } from '../m8-error';
import type { OpenRequest } from './connection-drain';

/** Exit code of a process whose shutdown passed `SHUTDOWN_TIMEOUT_SECONDS` (as `timeout(1)` uses). */
export const SHUTDOWN_TIMEOUT_EXIT_CODE = 124;

/** A start-up validator or an extra's `enter()` did not settle within `STARTUP_TIMEOUT_SECONDS`. */
export class StartupTimeoutError extends M8Error {
  static override readonly code = 'ERR_M8_STARTUP_TIMEOUT';
  override readonly code = StartupTimeoutError.code;
  constructor(
    /** `validator "name"` or `extra "name"`. */
    readonly step: string,
    readonly timeoutMs: number,
  ) {
    super(`Start-up ${step} did not finish within ${timeoutMs / 1000} s (STARTUP_TIMEOUT_SECONDS); is a dependency hanging?`);
  }
}

/** What was still open when the shutdown deadline passed. */
export interface StillOpen {
  readonly requests: readonly OpenRequest[];
  readonly connections: number;
  /** The teardown step running at the deadline, if teardown had started. */
  readonly teardownStep: string | null;
}

/** The shutdown did not finish within `SHUTDOWN_TIMEOUT_SECONDS`; what was left is in `open`. */
export class ShutdownTimeoutError extends M8Error {
  static override readonly code = 'ERR_M8_SHUTDOWN_TIMEOUT';
  override readonly code = ShutdownTimeoutError.code;
  constructor(
    readonly timeoutMs: number,
    readonly open: StillOpen = { requests: [], connections: 0, teardownStep: null },
  ) {
    super(`shutdown did not finish within ${timeoutMs / 1000} s (SHUTDOWN_TIMEOUT_SECONDS); still open: ${describeOpen(open)}`);
  }
}

function describeOpen(open: StillOpen): string {
  const parts: string[] = [];
  if (open.requests.length > 0) {
    parts.push(`${open.requests.length} request(s) [${open.requests.map((r) => `${r.method} ${r.path} for ${r.ageMs} ms`).join(', ')}]`);
  }
  if (open.connections > 0) parts.push(`${open.connections} connection(s)`);
  if (open.teardownStep !== null) parts.push(`teardown step "${open.teardownStep}"`);
  return parts.length > 0 ? parts.join(', ') : 'nothing (the deadline was 0)';
}
