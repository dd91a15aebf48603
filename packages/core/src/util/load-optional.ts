/** Loads an optional peer package, or fails with one readable error naming the install command. */
export class MissingPackageError extends Error {
  readonly code = 'ERR_M8_MISSING_PACKAGE';
  constructor(readonly packageName: string, readonly installCommand: string, purpose: string) {
    super(`${purpose} needs the package "${packageName}", which is not installed. Install it with: ${installCommand}`);
    this.name = 'MissingPackageError';
  }
}

/**
 * `require()` an optional package from the service's point of view (its working directory first,
 * then wherever @m8/core itself lives), so a feature package is found where the user installed it.
 * A feature package passes its own directory in `paths` to find its optional peers first.
 */
export function loadOptional<T>(packageName: string, installCommand: string, purpose = 'This configuration', paths: readonly string[] = []): T {
  let resolved: string;
  try {
    resolved = require.resolve(packageName, { paths: [...paths, process.cwd(), __dirname] });
  } catch {
    throw new MissingPackageError(packageName, installCommand, purpose);
  }
  return require(resolved) as T;
}
