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

/** Writes one access-log line; see `createAppLogger`. */
export type AccessLineWriter = (requestId: string, method: string, route: string, status: number, durationMs: number) => void;

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
export function createAppLogger(options: LoggerOptions): { readonly logger: Logger; readonly accessLine: AccessLineWriter } {
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
  return { logger, accessLine: writer };
}

/** For a logger the service brought: a plain `logger.info`, so its own formatting rules. */
export function loggedAccessLine(logger: Logger): AccessLineWriter {
  return (requestId, method, route, status, durationMs) => logger.info({ requestId, method, route, status, durationMs }, 'request');
}
