/** One thing wrong with the configuration. Never carries a secret's value. */
export interface SettingsProblem {
  /** The environment variable, e.g. `ACCESS_SECRET_KEY`. */
  readonly name: string;
  /** What is wrong and what is expected, e.g. `must be at least 32 characters`. */
  readonly problem: string;
}

/** Thrown by `load()`: every problem of the configuration, at once. */
export class SettingsError extends Error {
  readonly code = 'ERR_M8_SETTINGS';
  readonly problems: readonly SettingsProblem[];

  constructor(problems: readonly SettingsProblem[], settingsName = 'settings') {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `  - ${p.name}: ${p.problem}`);
    super(`Invalid ${settingsName} (${count}):\n${lines.join('\n')}`);
    this.name = 'SettingsError';
    this.problems = problems;
  }
}
