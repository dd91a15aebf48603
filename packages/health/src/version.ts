/** This package's name and version, for core's compatibility check (kept equal to package.json by a test). */
export const HEALTH_PACKAGE = Object.freeze({ name: '@m8/health', version: '0.1.0' });
