/**
 * `@m8/core/internal`: what the m8 packages share among themselves. Not for services: names here
 * may change in any release. Each entry is listed in packages/core/README.md ("Internal subpath").
 */
export { routeTemplate, UNMATCHED_ROUTE } from './http/route-template';
export { CORS_METHODS, CORS_HEADERS } from './http/cors';
export { safeEqual } from './util/safe-equal';
export { REDACTED, scrubUrlCredentials } from './util/redaction';
export { installCommand, packageManager } from './util/install-hint';
export type { PackageManager } from './util/install-hint';
export { readPackageInfo } from './util/package-info';
export { CAPABILITIES, compatibleRange, satisfiesCaret, checkCompatibility } from './compat';
export { assertSingleCopies, findDuplicateCopies } from './singletons';
export { secretFields } from './settings/env-types';
export { databaseProblems, deriveDatabaseUrl, DEFAULT_DB_PORTS, DEFAULT_SQLITE_FILE } from './settings/database-url';
export { publicKeyFileProblem } from './settings/cross-field-rules';
export { currentAppScope } from './di/app-scope';
