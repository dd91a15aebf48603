/**
 * The service's settings: every m8 variable plus its own. Loaded from the process environment,
 * then `ENV_FILE` (default: the committed `local.env` when present, so `npm start` needs no set-up;
 * a production image does not ship it and reads the environment only).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { IsInt, Max, Min } from 'class-validator';
import { ConsumerServiceSettings, EnvInt } from '@m8/core';

export class Settings extends ConsumerServiceSettings {
  /** Largest page `GET /items/` returns. */
  @EnvInt() @IsInt() @Min(1) @Max(500) ITEMS_PAGE_SIZE = 50;
}

export const DEFAULT_ENV_FILE = resolve(__dirname, '../../local.env');

export function loadSettings(values: Partial<Record<keyof Settings, unknown>> = {}): Settings {
  const envFile = process.env.ENV_FILE ?? (existsSync(DEFAULT_ENV_FILE) ? DEFAULT_ENV_FILE : false);
  return Settings.load({ envFile, values });
}
