import { ProblemsError } from '../problems-error';

/** One thing wrong with the configuration. Never carries a secret's value. */
export interface SettingsProblem {
  /** The environment variable, e.g. `ACCESS_SECRET_KEY`. */
  readonly name: string;
  /** What is wrong and what is expected, e.g. `must be at least 32 characters`. */
  readonly problem: string;
}

/** Thrown by `load()`: every problem of the configuration, at once. */
export class SettingsError extends ProblemsError<SettingsProblem> {
  static override readonly code = 'ERR_M8_SETTINGS';
  override readonly code = SettingsError.code;

  constructor(problems: readonly SettingsProblem[], settingsName = 'settings') {
    super(settingsName, problems, (p) => `${p.name}: ${p.problem}`);
  }
}
