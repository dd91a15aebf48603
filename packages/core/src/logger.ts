/**
 * Structured JSON logs (pino). One logger per app, registered in the container under `LOGGER`.
 * Nothing here logs headers or bodies, so tokens never reach a log line; the redact list is a
 * second fence for objects users pass in.
 */
import { REDACTED } from './util/redaction';
import pino, { type Logger as PinoLogger, type DestinationStream } from 'pino';
import type { LogLevel } from './settings/consumer-settings';

export type Logger = PinoLogger;

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly serviceName: string;
  readonly serviceVersion: string;
  /** Where lines go (default stdout); tests pass a stream to read them. */
  readonly destination?: DestinationStream;
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

const ACCESS_LINE = Symbol.for('m8.access-line');

/** Writes one access-log line; see `accessLineWriter`. */
export type AccessLineWriter = (requestId: string, method: string, route: string, status: number, durationMs: number) => void;

export function createLogger(options: LoggerOptions): Logger {
  // Buffered, asynchronous writes to stdout: a syscall per 4 KiB instead of per line. pino flushes
  // the buffer on exit; `M8App.close()` flushes it too.
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 4096 });
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
  Object.defineProperty(logger, ACCESS_LINE, { value: writer });
  return logger;
}

/**
 * The access log is one line per request with a fixed shape and nothing secret in it (a route
 * template, a sanitised request id), so core's own logger writes it directly in the same JSON
 * format as pino's lines, skipping pino's per-line serialisation and redaction (4–5 µs a line on
 * these machines, the biggest cost of a cached authenticated request). A logger the service brought
 * gets a plain `logger.info` instead, so its own formatting rules.
 */
export function accessLineWriter(logger: Logger): AccessLineWriter {
  const direct = (logger as unknown as Record<symbol, AccessLineWriter | undefined>)[ACCESS_LINE];
  if (direct) return direct;
  return (requestId, method, route, status, durationMs) => logger.info({ requestId, method, route, status, durationMs }, 'request');
}
