/**
 * `@m8/core/internal`: what the m8 packages share among themselves. Not for services: names here
 * may change in any release. Each entry is listed in packages/core/README.md ("Internal subpath").
 */
export { routeTemplate, UNMATCHED_ROUTE } from './http/route-template';
export { safeEqual } from './util/safe-equal';
export { REDACTED, scrubUrlCredentials } from './util/redaction';
export { installCommand, packageManager } from './util/install-hint';
export type { PackageManager } from './util/install-hint';
export { readPackageInfo } from './util/package-info';
export { CAPABILITIES, satisfiesCaret, checkCompatibility } from './compat';
export { databaseProblems } from './settings/database-url';
