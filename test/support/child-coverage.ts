/**
 * Environment for a test's child process: under `npm run coverage` (scripts/coverage.mjs sets
 * M8_CHILD_COVERAGE) the child writes its V8 coverage there, and the script maps it back to the sources
 * through dist/'s source maps. Otherwise nothing is added.
 */
export function childCoverageEnv(): Record<string, string> {
  const dir = process.env.M8_CHILD_COVERAGE;
  return dir ? { NODE_V8_COVERAGE: dir } : {};
}
