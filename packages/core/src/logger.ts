/**
 * Structured logs (pino): JSON lines, or pino-pretty's readable lines for a developer's terminal.
 * One logger per app, registered in the container under `LOGGER`. Nothing here logs headers or
 * bodies, so tokens never reach a log line; the redact list is a second fence for objects users
 * pass in.
 */
import { REDACTED } from './util/redaction';
import pino, { type Logger as PinoLogger, type DestinationStream } from 'pino';
import type { build as PinoPrettyBuild } from 'pino-pretty';
import type { Environment, LogFormat, LogLevel } from './settings/consumer-settings';

export type Logger = PinoLogger;

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly serviceName: string;
  readonly serviceVersion: string;
  /** Where lines go (default stdout); tests pass a stream to read them. */
  readonly destination?: DestinationStream;
  /** `json` (default) or `pretty` (pino-pretty; for a terminal). See `resolveLogFormat`. */
  readonly format?: LogFormat;
}

/**
 * `LOG_FORMAT` when set; otherwise `pretty` for local work in a terminal and `json` everywhere else
 * (log collectors, files, pipes and tests read JSON).
 */
export function resolveLogFormat(format: LogFormat | undefined, environment: Environment, stdoutIsTty: boolean): LogFormat {
  return format ?? (environment === 'local' && stdoutIsTty ? 'pretty' : 'json');
}

const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'x-internal-token',
  '*["x-internal-token"]',
];

/** Writes one access-log line; see `createAppLogger`. */
export type AccessLineWriter = (requestId: string, method: string, route: string, status: number, durationMs: number) => void;

/** Core's logger of one app, its access-line writer, and a synchronous flush for fatal exits. */
export interface AppLogger {
  readonly logger: Logger;
  readonly accessLine: AccessLineWriter;
  /** Writes out what is still buffered, synchronously (right before `process.exit`). */
  readonly flushSync: () => void;
}

/** Core's pino logger for one app. */
export function createLogger(options: LoggerOptions): Logger {
  return createAppLogger(options).logger;
}

/**
 * Core's logger and its access-line writer. The access log is one line per request with a fixed
 * shape and nothing secret in it (a route template, a sanitised request id), so it is written
 * directly to the logger's destination in the same JSON format as pino's lines, skipping pino's
 * per-line serialisation and redaction (4–5 µs a line on these machines, the biggest cost of a
 * cached authenticated request).
 */
export function createAppLogger(options: LoggerOptions): AppLogger {
  const destination = options.destination ?? stdoutDestination(options.format ?? 'json');
  const logger = pino(
    {
      level: options.level,
      base: { service: options.serviceName, version: options.serviceVersion },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: REDACTED },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  const head = `,"service":${JSON.stringify(options.serviceName)},"version":${JSON.stringify(options.serviceVersion)}`;
  const writer: AccessLineWriter = (requestId, method, route, status, durationMs) => {
    destination.write(
      `{"level":"info","time":"${new Date().toISOString()}"${head},"requestId":${JSON.stringify(requestId)},"method":${JSON.stringify(method)},"route":${JSON.stringify(route)},"status":${status},"durationMs":${durationMs},"msg":"request"}\n`,
    );
  };
  const flushable = destination as Partial<{ flushSync(): void }>;
  const flushSync = typeof flushable.flushSync === 'function' ? () => flushable.flushSync!() : () => logger.flush();
  return { logger, accessLine: writer, flushSync };
}

/**
 * stdout, written asynchronously without a minimum batch: a line leaves at once when no write is in
 * progress, and lines logged meanwhile go out together in the next write. So lines show within
 * milliseconds on a quiet service, batch by themselves under load, and a SIGKILL loses only the
 * write in flight. (A 4 KiB minimum held a quiet service's lines back until exit.)
 */
function stdoutDestination(format: LogFormat): DestinationStream {
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 0 });
  if (format === 'json') return stdout;
  // pino-pretty parses each JSON line (pino's and the access writer's alike) and prints it readably.
  // Loaded only here: a service logging JSON (every deployed one) never holds its ≈1 MiB.
  const pinoPretty = (require('pino-pretty') as { build: typeof PinoPrettyBuild }).build;
  return pinoPretty({ destination: stdout, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service,version' });
}

/** For a logger the service brought: a plain `logger.info`, so its own formatting rules. */
export function loggedAccessLine(logger: Logger): AccessLineWriter {
  return (requestId, method, route, status, durationMs) => logger.info({ requestId, method, route, status, durationMs }, 'request');
}
