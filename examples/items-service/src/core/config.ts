/**
 * The service's settings: every m8 variable plus its own. Loaded from the process environment,
 * then `ENV_FILE` (default: the committed `local.env`, so `npm start` needs no set-up).
 */
import { resolve } from 'node:path';
import { IsInt, Max, Min } from 'class-validator';
import { ConsumerServiceSettings, EnvInt } from '@m8/core';

export class Settings extends ConsumerServiceSettings {
  /** Largest page `GET /items/` returns. */
  @EnvInt() @IsInt() @Min(1) @Max(500) ITEMS_PAGE_SIZE = 50;
}

export const DEFAULT_ENV_FILE = resolve(__dirname, '../../local.env');

export function loadSettings(values: Partial<Record<keyof Settings, unknown>> = {}): Settings {
  return Settings.load({ envFile: process.env.ENV_FILE ?? DEFAULT_ENV_FILE, values });
}
