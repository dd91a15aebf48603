/**
 * Where `m8-prestart` gets its database from: the settings in env/.env, or a module the user names
 * (`--module ./dist/core/deps.js`) exporting an engine, an engine factory, a `{ db }` dependencies
 * factory, settings or a settings class.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConsumerServiceSettings, M8Error } from '@m8/core';
import { createDbEngine } from './create-db-engine';
import type { HealthCheckable } from './wait-for-database';
import type { DbSettings } from './orm-options';

/** What the prestart waits on, and whether it owns (and must dispose) it. */
export type PrestartTarget =
  | { readonly kind: 'engine'; readonly engine: HealthCheckable & { dispose?(): Promise<void> }; readonly label: string }
  | { readonly kind: 'none'; readonly reason: string };

export interface SourceOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** `.env` path; undefined = `.env` in `cwd` when present. */
  readonly envFile?: string;
  readonly modulePath?: string;
  /** Named export to use from the module; default: the first of `EXPORT_CANDIDATES` present. */
  readonly exportName?: string;
}

/** Export names looked up, in order, when `--export` is not given. */
export const EXPORT_CANDIDATES = ['default', 'createEngine', 'dbEngine', 'engine', 'settings'] as const;

/** Thrown for a usage or configuration problem (the CLI exits 2). */
export class PrestartConfigError extends M8Error {
  static override readonly code = 'ERR_M8_PRESTART_CONFIG';
  override readonly code = PrestartConfigError.code;
  constructor(message: string) {
    super(message);
  }
}

/** Finds the database to wait for. */
export async function findTarget(options: SourceOptions): Promise<PrestartTarget> {
  if (options.modulePath === undefined) return fromSettings(loadSettings(ConsumerServiceSettings, options));
  const path = resolve(options.cwd, options.modulePath);
  let exported: Record<string, unknown>;
  try {
    exported = require(path) as Record<string, unknown>;
  } catch (error) {
    throw new PrestartConfigError(`cannot load --module ${options.modulePath} (${path}): ${(error as Error).message}`);
  }
  const name = options.exportName ?? EXPORT_CANDIDATES.find((candidate) => exported[candidate] !== undefined);
  const value = name === undefined ? exported : exported[name];
  if (value === undefined) throw new PrestartConfigError(`--module ${options.modulePath} has no export named "${name}"`);
  return fromValue(value, options, `${options.modulePath}${name ? `#${name}` : ''}`, 0);
}

async function fromValue(value: unknown, options: SourceOptions, label: string, depth: number): Promise<PrestartTarget> {
  if (isEngine(value)) return { kind: 'engine', engine: value, label };
  if (isSettings(value)) return fromSettings(value);
  // A dependencies object such as `{ auth, db }` (what a `buildDeps(settings)` returns).
  const db = (value as { db?: unknown } | null | undefined)?.db;
  if (isEngine(db)) return { kind: 'engine', engine: db, label: `${label}.db` };
  if (typeof value === 'function' && depth < 2) {
    const fn = value as { load?: unknown } & ((...args: unknown[]) => unknown);
    // A settings class (ConsumerServiceSettings or a subclass) loads itself; a factory is called,
    // with settings loaded from env/.env when it takes an argument (`buildDeps(settings)`).
    if (typeof fn.load === 'function') return fromSettings(loadSettings(fn as unknown as SettingsClass, options));
    const made = fn.length >= 1 ? await fn(loadSettings(ConsumerServiceSettings, options)) : await fn();
    return fromValue(made, options, label, depth + 1);
  }
  throw new PrestartConfigError(
    `${label} is neither a database engine, an engine or { db } factory, a settings object nor a settings class ` +
      `(looked for exports: ${EXPORT_CANDIDATES.join(', ')}; choose one with --export NAME)`,
  );
}

interface SettingsClass {
  load(options: { env: SourceOptions['env']; envFile?: string | false }): unknown;
}

function loadSettings(settingsClass: SettingsClass, options: SourceOptions): DbSettings {
  // A named --env-file must exist (load() reports it); the default `.env` of `cwd` is optional.
  const defaultFile = resolve(options.cwd, '.env');
  const envFile = options.envFile !== undefined ? resolve(options.cwd, options.envFile) : existsSync(defaultFile) ? defaultFile : false;
  return settingsClass.load({ env: options.env, envFile }) as DbSettings;
}

async function fromSettings(settings: DbSettings): Promise<PrestartTarget> {
  if (settings.SELECTED_DB !== 'Sqlite' && !settings.DATABASE_URL && !settings.DB_HOST) {
    return { kind: 'none', reason: `no database configured (SELECTED_DB=${settings.SELECTED_DB}, neither DATABASE_URL nor DB_HOST set)` };
  }
  const engine = await createDbEngine(settings);
  return { kind: 'engine', engine, label: `SELECTED_DB=${settings.SELECTED_DB}` };
}

function isEngine(value: unknown): value is HealthCheckable & { dispose?(): Promise<void> } {
  return typeof value === 'object' && value !== null && typeof (value as HealthCheckable).healthCheck === 'function';
}

function isSettings(value: unknown): value is DbSettings {
  return typeof value === 'object' && value !== null && typeof (value as DbSettings).SELECTED_DB === 'string';
}
