/**
 * Structured JSON logs (pino). One logger per app, registered in the container under `LOGGER`.
 * Nothing here logs headers or bodies, so tokens never reach a log line; the redact list is a
 * second fence for objects users pass in.
 */
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

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: options.serviceName, version: options.serviceVersion },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT, censor: '[REDACTED]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
