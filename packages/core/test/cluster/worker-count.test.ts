import { describe, expect, it } from 'vitest';
import { workerCount } from '../../src/cluster/worker-count';
import { ConsumerServiceSettings } from '../../src/settings/consumer-settings';
import { SettingsError } from '../../src/settings/settings-error';

const BASE = { PROJECT_NAME: 'x', AUTH_SERVICE_ROLE: 'consumer', TOKEN_MODE: 'stateless', ACCESS_SECRET_KEY: 'k'.repeat(40) };

describe('WORKERS', () => {
  it('is 1 by default', () => {
    const settings = ConsumerServiceSettings.load({ envFile: false, env: BASE });
    expect(workerCount(settings.WORKERS)).toBe(1);
  });

  it('takes an integer as given and auto as the cores available', () => {
    expect(workerCount('3', 8)).toBe(3);
    expect(workerCount('auto', 8)).toBe(8);
    expect(workerCount('auto', 0)).toBe(1);
  });

  it('refuses 0, negatives, words and more than 256, with one problem naming the variable', () => {
    for (const value of ['0', '-1', 'two', '257', '1.5']) {
      let caught: unknown;
      try {
        ConsumerServiceSettings.load({ envFile: false, env: { ...BASE, WORKERS: value } });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SettingsError);
      expect((caught as SettingsError).problems.map((p) => p.name)).toEqual(['WORKERS']);
    }
  });
});
