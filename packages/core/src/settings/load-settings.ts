/**
 * Loading order: explicit `values` > process environment > `.env` file > the class's defaults.
 * A secret may also come from the file named by `<NAME>_FILE`. Every problem is collected, then
 * thrown as one `SettingsError`; the result is frozen.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { secretFields } from './env-types';
import { REDACTED } from '../util/redaction';
import { SettingsError, type SettingsProblem } from './settings-error';

export interface LoadSettingsOptions<T> {
  /** Values given in code; they beat the environment. */
  readonly values?: { readonly [K in keyof T]?: unknown };
  /** The environment to read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `.env` file path (default `.env` in the working directory, skipped when absent); `false` to skip. */
  readonly envFile?: string | false;
}

interface SettingsClass<T> {
  new (): T;
  readonly name: string;
}

interface Validatable {
  crossFieldProblems(): SettingsProblem[];
}

export function loadSettings<T extends Validatable>(settingsClass: SettingsClass<T>, options: LoadSettingsOptions<T> = {}): T {
  const problems: SettingsProblem[] = [];
  const fileValues = readEnvFile(options.envFile, problems);
  const env = options.env ?? process.env;
  const explicit = (options.values ?? {}) as Record<string, unknown>;
  const secrets = secretFields(settingsClass);

  const lookup = (name: string): unknown => explicit[name] ?? env[name] ?? fileValues[name];
  const raw: Record<string, unknown> = {};
  for (const name of fieldNames(settingsClass)) {
    let value = lookup(name);
    if (value === undefined && secrets.has(name)) value = readSecretFile(name, lookup(`${name}_FILE`), problems);
    if (value !== undefined) raw[name] = value;
  }

  const settings = plainToInstance(settingsClass, raw);
  Object.defineProperty(settings, SET_FIELDS, { value: new Set(Object.keys(raw)), enumerable: false });
  problems.push(...validateSync(settings as object).flatMap((error) => describe(error, secrets)));
  try {
    problems.push(...settings.crossFieldProblems());
  } catch (error) {
    problems.push({ name: settingsClass.name, problem: `a cross-field rule failed: ${(error as Error).message}` });
  }

  if (problems.length > 0) throw new SettingsError(scrubSecrets(problems, raw, secrets), settingsClass.name);
  return Object.freeze(settings);
}

/** Where a loaded settings object keeps the names its sources set (not enumerable: never serialised). */
const SET_FIELDS = Symbol.for('m8:settings:set-fields');

/** The fields a source (values, environment, `.env`, `_FILE`) set when `settings` was loaded. */
export function setFieldsOf(settings: object): ReadonlySet<string> {
  return (settings as { [SET_FIELDS]?: ReadonlySet<string> })[SET_FIELDS] ?? new Set();
}

/** Every field of the class: those with an initializer and those with a validation decorator. */
function fieldNames(settingsClass: SettingsClass<unknown>): Set<string> {
  const names = new Set(Object.keys(new settingsClass() as object));
  for (const meta of getMetadataStorage().getTargetValidationMetadatas(settingsClass, '', true, false)) names.add(meta.propertyName);
  return names;
}

function readEnvFile(envFile: string | false | undefined, problems: SettingsProblem[]): Record<string, string> {
  if (envFile === false) return {};
  const path = resolve(envFile ?? '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    if (envFile !== undefined) problems.push({ name: 'envFile', problem: `cannot read "${path}"` });
    return {};
  }
  return parseEnv(text) as Record<string, string>;
}

function readSecretFile(name: string, path: unknown, problems: SettingsProblem[]): string | undefined {
  if (typeof path !== 'string' || path === '') return undefined;
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    problems.push({ name: `${name}_FILE`, problem: `cannot read the secret file "${path}"` });
    return undefined;
  }
}

function describe(error: ValidationError, secrets: ReadonlySet<string>): SettingsProblem[] {
  const messages = Object.values(error.constraints ?? {});
  const shown = secrets.has(error.property) || error.value === undefined ? '' : ` (got ${JSON.stringify(error.value)?.slice(0, 80)})`;
  return messages.map((message) => ({
    name: error.property,
    problem: (message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message) + shown,
  }));
}

/** Defence in depth: no secret value survives in any message, whoever wrote the rule. */
function scrubSecrets(problems: SettingsProblem[], raw: Record<string, unknown>, secrets: ReadonlySet<string>): SettingsProblem[] {
  const values = [...secrets].map((name) => raw[name]).filter((v): v is string => typeof v === 'string' && v.length >= 4);
  return problems.map((p) => ({ name: p.name, problem: values.reduce((text, v) => text.split(v).join(REDACTED), p.problem) }));
}
