/**
 * The install command to show in an error, in the user's own package manager: npm, pnpm, yarn and
 * bun set `npm_config_user_agent` (e.g. `pnpm/12.4.2 npm/? node/v20.20.0 linux x64`) when they run
 * a script; anything else gets npm's command.
 */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

export function packageManager(userAgent: string | undefined = process.env.npm_config_user_agent): PackageManager {
  const name = userAgent?.split('/', 1)[0];
  return name === 'pnpm' || name === 'yarn' || name === 'bun' ? name : 'npm';
}

/** `npm install a b`, `pnpm add a b`, `yarn add a b` or `bun add a b`. */
export function installCommand(packages: readonly string[], manager: PackageManager = packageManager()): string {
  const verb = manager === 'npm' ? 'install' : 'add';
  return `${manager} ${verb} ${packages.join(' ')}`;
}
