/**
 * `m8-prestart` as a function: parse flags, find the database, wait for it, answer an exit code.
 * The bin (`prestart-cli.ts`) only calls `runPrestart` and exits with its result.
 */
import { parseArgs } from 'node:util';
import { DbUnavailableError } from './errors';
import { findTarget, PrestartConfigError, type PrestartTarget } from './prestart-source';
import { waitForDatabase } from './wait-for-database';

/** Where the prestart reads its environment and writes its messages (process defaults). */
export interface PrestartIo {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

/** Resolved flags; each has an env var fallback (see `USAGE`). */
export interface PrestartOptions {
  readonly retries: number;
  readonly intervalMs: number;
  readonly attemptTimeoutMs: number;
  readonly modulePath?: string;
  readonly exportName?: string;
  readonly envFile?: string;
}

export const EXIT_READY = 0;
export const EXIT_GAVE_UP = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: m8-prestart [options]
Waits until the database answers SELECT 1. Exit 0 when it does (or no database is configured),
1 when every attempt failed, 2 on a configuration or usage error.

  --retries N          attempts in all              (env M8_PRESTART_RETRIES, default 300)
  --interval S         seconds between attempts     (env M8_PRESTART_INTERVAL_SECONDS, default 5)
  --attempt-timeout S  seconds one attempt may take (env M8_PRESTART_ATTEMPT_TIMEOUT_SECONDS, default 5)
  --module PATH        module exporting an engine, engine factory, settings object or settings class
                       (env M8_PRESTART_MODULE; default: ConsumerServiceSettings from env and .env)
  --export NAME        which export of --module to use (default: default, createEngine, dbEngine, engine, settings)
  --env-file PATH      .env file to read (default: .env in the working directory, if present)
  -h, --help           this text`;

/**
 * Runs the prestart and resolves with the process exit code. Never calls `process.exit`.
 *
 * @example
 * const code = await runPrestart(['--retries', '3', '--interval', '0.1']);
 */
export async function runPrestart(argv: readonly string[], io: PrestartIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  let options: PrestartOptions;
  try {
    const parsed = parseFlags(argv, env);
    if (parsed === 'help') {
      out(USAGE);
      return EXIT_READY;
    }
    options = parsed;
  } catch (error) {
    err(`m8-prestart: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  let target: PrestartTarget;
  try {
    target = await findTarget({ env, cwd: io.cwd ?? process.cwd(), ...pick(options) });
  } catch (error) {
    err(`m8-prestart: ${(error as Error).message}`);
    return EXIT_USAGE;
  }
  if (target.kind === 'none') {
    out(`m8-prestart: ${target.reason}; nothing to wait for`);
    return EXIT_READY;
  }

  try {
    const result = await waitForDatabase(target.engine, {
      retries: options.retries,
      intervalMs: options.intervalMs,
      attemptTimeoutMs: options.attemptTimeoutMs,
      onRetry: ({ attempt, retries, error, nextInMs }) =>
        err(`m8-prestart: database not ready (attempt ${attempt}/${retries}): ${error}; next attempt in ${nextInMs / 1000}s`),
    });
    out(`m8-prestart: database ready (${target.label}, attempt ${result.attempts}, ${result.latencyMs} ms)`);
    return EXIT_READY;
  } catch (error) {
    if (!(error instanceof DbUnavailableError)) throw error;
    err(`m8-prestart: giving up. ${error.message}`);
    return EXIT_GAVE_UP;
  } finally {
    await target.engine.dispose?.();
  }
}

function pick(options: PrestartOptions): { modulePath?: string; exportName?: string; envFile?: string } {
  return {
    ...(options.modulePath !== undefined && { modulePath: options.modulePath }),
    ...(options.exportName !== undefined && { exportName: options.exportName }),
    ...(options.envFile !== undefined && { envFile: options.envFile }),
  };
}

/** Flags beat env vars beat defaults. Throws `PrestartConfigError` naming every bad value. */
export function parseFlags(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): PrestartOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      retries: { type: 'string' },
      interval: { type: 'string' },
      'attempt-timeout': { type: 'string' },
      module: { type: 'string' },
      export: { type: 'string' },
      'env-file': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const problems: string[] = [];
  const number = (flag: string, raw: string | undefined, fallback: number, integer: boolean, min: number): number => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      problems.push(`${flag} must be ${integer ? 'a whole number' : 'a number'} ≥ ${min}, got "${raw}"`);
    }
    return value;
  };
  const retries = number('--retries', values.retries ?? env.M8_PRESTART_RETRIES, 300, true, 1);
  const interval = number('--interval', values.interval ?? env.M8_PRESTART_INTERVAL_SECONDS, 5, false, 0);
  const attemptTimeout = number('--attempt-timeout', values['attempt-timeout'] ?? env.M8_PRESTART_ATTEMPT_TIMEOUT_SECONDS, 5, false, 0.001);
  if (problems.length > 0) throw new PrestartConfigError(problems.join('; '));
  const modulePath = values.module ?? (env.M8_PRESTART_MODULE || undefined);
  return {
    retries,
    intervalMs: Math.round(interval * 1000),
    attemptTimeoutMs: Math.max(1, Math.round(attemptTimeout * 1000)),
    ...(modulePath !== undefined && { modulePath }),
    ...(values.export !== undefined && { exportName: values.export }),
    ...(values['env-file'] !== undefined && { envFile: values['env-file'] }),
  };
}
