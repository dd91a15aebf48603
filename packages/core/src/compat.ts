/**
 * Version, capabilities and the compatibility matrix of the m8 packages (the seed's matrix in npm
 * terms: each feature package must match core's caret range). Checked once at bootstrap, so a
 * half-upgraded service fails at start with one readable error, not with odd behaviour later.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { M8Plugin } from './plugin';

function ownVersion(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** The installed @m8/core version. */
export const VERSION: string = ownVersion();

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

export const M8_PACKAGES = ['@m8/core', '@m8/auth', '@m8/health', '@m8/db', '@m8/metrics', '@m8/openapi', '@m8/testing'] as const;

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

/** `{ name: version }` of the @m8 packages this process can load (core always). */
export function installedM8Packages(): Readonly<Record<string, string>> {
  const found: Record<string, string> = { '@m8/core': VERSION };
  for (const name of M8_PACKAGES.slice(1)) {
    try {
      const path = require.resolve(`${name}/package.json`, { paths: [process.cwd(), __dirname] });
      found[name] = (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    } catch {
      /* not installed: fine, a service installs only what it uses */
    }
  }
  return found;
}

export class CompatibilityError extends Error {
  readonly code = 'ERR_M8_INCOMPATIBLE_PACKAGES';
  constructor(readonly problems: readonly string[]) {
    super(
      `Incompatible m8 packages (@m8/core ${VERSION} works with ${compatibleRange()}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        `\nInstall matching versions, e.g. npm install ${M8_PACKAGES.map((n) => `${n}@${compatibleRange()}`).slice(0, 2).join(' ')} ...`,
    );
    this.name = 'CompatibilityError';
  }
}

export function checkCompatibility(plugins: readonly M8Plugin[], installed = installedM8Packages()): void {
  const range = compatibleRange();
  const versions = new Map(Object.entries(installed));
  for (const plugin of plugins) if (plugin.package) versions.set(plugin.package.name, plugin.package.version);
  const problems = [...versions]
    .filter(([name, version]) => name !== '@m8/core' && !satisfiesCaret(version, range))
    .map(([name, version]) => `${name} ${version} does not match ${range}`);
  if (problems.length > 0) throw new CompatibilityError(problems);
}
