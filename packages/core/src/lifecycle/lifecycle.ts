/**
 * The lifecycle as data (Fastify-style): start-up validators in order, then extras entered, then
 * ready. Teardown runs the registered steps in reverse order, each bounded in time, and a failing
 * step is logged and does not stop the others.
 */
import type { Logger } from '../logger';
import { M8Error } from '../m8-error';
import type { AppContext, Extra, StartupValidator } from '../plugin';
import type { LifecycleState } from './state';
import { StartupTimeoutError } from './lifecycle-errors';

/** A start-up validator or an extra failed: the app does not become ready. */
export class StartupError extends M8Error {
  static override readonly code = 'ERR_M8_STARTUP';
  override readonly code = StartupError.code;
}

/** A teardown step did not finish in time (logged; the other steps still run). */
export class TeardownTimeoutError extends M8Error {
  static override readonly code = 'ERR_M8_TEARDOWN_TIMEOUT';
  override readonly code = TeardownTimeoutError.code;
}

interface Step {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

export class Lifecycle {
  private current: LifecycleState = 'initializing';
  private readonly teardownSteps: Step[] = [];
  private runningStep: string | null = null;

  constructor(private readonly logger: Logger) {}

  get state(): LifecycleState {
    return this.current;
  }

  /** Registers a teardown step; steps run in reverse registration order. */
  onClose(name: string, run: () => Promise<void> | void): void {
    this.teardownSteps.push({ name, run });
  }

  /** The teardown step running now (for the shutdown-timeout line), or null. */
  get currentTeardownStep(): string | null {
    return this.runningStep;
  }

  /**
   * Validators in order (a throw aborts start), then extras entered; then the app is ready. Each
   * step gets `stepTimeoutMs`: a hanging dependency fails the start with `StartupTimeoutError`
   * naming the step instead of hanging it.
   */
  async start(app: AppContext, validators: readonly StartupValidator[], extras: readonly Extra[], stepTimeoutMs: number): Promise<void> {
    for (const [index, validator] of validators.entries()) {
      const name = validator.validatorName ?? (validator.name || `#${index + 1}`);
      try {
        await timeBoxed(() => validator(app), stepTimeoutMs, `validator "${name}"`);
      } catch (error) {
        if (error instanceof StartupTimeoutError) throw error;
        throw new StartupError(`Start-up validator "${name}" failed: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      }
      this.logger.debug({ validator: name }, 'start-up validator passed');
    }
    for (const extra of extras) {
      try {
        await timeBoxed(() => extra.enter(app), stepTimeoutMs, `extra "${extra.name}"`);
      } catch (error) {
        if (error instanceof StartupTimeoutError) throw error;
        throw new StartupError(`Extra "${extra.name}" failed to start: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      }
      this.onClose(`extra:${extra.name}`, () => extra.exit());
    }
    if (this.current === 'initializing') this.current = 'ready';
  }

  /** From here health answers `shutting_down`; the state never goes back. */
  beginShutdown(): void {
    if (this.current === 'initializing' || this.current === 'ready') this.current = 'shutting_down';
  }

  /** Runs every teardown step once, newest first, each within `stepTimeoutMs`. */
  async teardown(stepTimeoutMs: number): Promise<void> {
    this.beginShutdown();
    const steps = this.teardownSteps.splice(0).reverse();
    for (const step of steps) {
      this.runningStep = step.name;
      try {
        await withTimeout(Promise.resolve().then(step.run), stepTimeoutMs, step.name);
        this.logger.debug({ step: step.name }, 'teardown step done');
      } catch (error) {
        this.logger.error({ step: step.name, err: error }, 'teardown step failed');
      }
    }
    this.runningStep = null;
    this.current = 'closed';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TeardownTimeoutError(`teardown step "${step}" took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function timeBoxed(run: () => Promise<void> | void, ms: number, step: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartupTimeoutError(step, ms)), ms);
    timer.unref();
  });
  return Promise.race([Promise.resolve().then(run), timeout]).finally(() => clearTimeout(timer));
}
