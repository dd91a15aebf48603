/**
 * What start-up says about the configuration outside `staging`/`production` (where the same
 * findings fail `load()`): one warning listing every posture finding, and one when `ENVIRONMENT`
 * was not set, since an unset environment means `local` with every production guard off.
 */
import type { Logger } from '../logger';
import type { ConsumerServiceSettings } from './consumer-settings';
import { postureFindings } from './posture';

export function reportPosture(settings: ConsumerServiceSettings, logger: Pick<Logger, 'warn'>): void {
  if (!settings.wasSet('ENVIRONMENT')) {
    logger.warn(
      { event: 'environment_unset', environment: settings.ENVIRONMENT },
      'ENVIRONMENT is not set: running as local, fit for local work only (every production guard is off); set ENVIRONMENT=production or staging when deployed',
    );
  }
  if (settings.isProductionLike) return;
  const findings = postureFindings(settings);
  if (findings.length === 0) return;
  logger.warn(
    { event: 'configuration_posture', environment: settings.ENVIRONMENT, findings: findings.map((f) => `${f.name}: ${f.problem}`) },
    `configuration not fit for staging/production (${findings.length} finding${findings.length === 1 ? '' : 's'})`,
  );
}
