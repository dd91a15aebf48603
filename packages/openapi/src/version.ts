/** This package's name and version, for core's compatibility check (kept equal to package.json by a test). */
export const OPENAPI_PACKAGE = Object.freeze({ name: '@m8/openapi', version: '0.1.0' });
