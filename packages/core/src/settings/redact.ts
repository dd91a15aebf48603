import { REDACTED } from '../util/redaction';
import { secretFields } from './env-types';

/** A plain copy of the settings with every secret replaced (set secrets only; unset stay unset). */
export function redactedView(settings: object): Record<string, unknown> {
  const secrets = secretFields(settings.constructor as new () => object);
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    view[key] = secrets.has(key) && value !== undefined && value !== '' ? REDACTED : value;
  }
  return view;
}
