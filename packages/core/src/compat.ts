/**
 * Version, capabilities and the compatibility rule of the m8 packages: each plugin's package must
 * match core's caret range. Checked once at bootstrap for the plugins in the list (and only
 * those), so a half-upgraded service fails at start with one readable error, not with odd
 * behaviour later.
 */
import { M8Error } from './m8-error';
import type { M8Plugin } from './plugin';
import { installCommand } from './util/install-hint';
import { readPackageInfo } from './util/package-info';

/** The installed @m8/core version. */
export const VERSION: string = readPackageInfo(__dirname, '@m8/core').version;

/** What this core offers, for feature packages and health detail to inspect. */
export const CAPABILITIES: readonly string[] = Object.freeze([
  'settings',
  'settings.secret-files',
  'di.request-scope',
  'lifecycle.validators',
  'lifecycle.extras',
  'lifecycle.graceful-shutdown',
  'http.cors',
  'http.request-id',
  'http.security-headers',
  'http.body-limit',
  'http.error-shapes',
  'plugins.internal-routes',
  'events',
]);

/** The range of every m8 package that works with this core: same minor while 0.x, same major after. */
export function compatibleRange(coreVersion: string = VERSION): string {
  const [major, minor] = coreVersion.split('.');
  return major === '0' ? `^0.${minor}.0` : `^${major}.0.0`;
}

export function satisfiesCaret(version: string, range: string): boolean {
  const parse = (v: string): number[] => v.replace(/^\^/, '').split(/[.+-]/).slice(0, 3).map(Number);
  const [vMajor, vMinor, vPatch] = parse(version);
  const [rMajor, rMinor, rPatch] = parse(range);
  if ([vMajor, vMinor, vPatch, rMajor, rMinor, rPatch].some((n) => n === undefined || Number.isNaN(n))) return false;
  if (vMajor !== rMajor) return false;
  if (rMajor === 0 && vMinor !== rMinor) return false;
  if (vMinor! !== rMinor!) return vMinor! > rMinor!;
  return vPatch! >= rPatch!;
}

/** A plugin's package does not match core's range. */
export class CompatibilityError extends M8Error {
  static override readonly code = 'ERR_M8_INCOMPATIBLE_PACKAGES';
  override readonly code = CompatibilityError.code;
  constructor(readonly problems: readonly string[], readonly packages: readonly string[]) {
    super(
      `Incompatible m8 packages (@m8/core ${VERSION} works with ${compatibleRange()}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        `\nInstall matching versions: ${installCommand(packages.map((name) => `${name}@${compatibleRange()}`))}`,
    );
  }
}

/** Every plugin that names its package must match core's range; packages not in the list do not matter. */
export function checkCompatibility(plugins: readonly M8Plugin[]): void {
  const range = compatibleRange();
  const mismatched = plugins.flatMap((plugin) => (plugin.package && !satisfiesCaret(plugin.package.version, range) ? [plugin.package] : []));
  if (mismatched.length === 0) return;
  throw new CompatibilityError(
    mismatched.map((p) => `${p.name} ${p.version} does not match ${range}`),
    mismatched.map((p) => p.name),
  );
}
