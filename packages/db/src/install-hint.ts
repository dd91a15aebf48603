/**
 * The install command in the user's own package manager, read from `npm_config_user_agent` (which
 * npm, pnpm, yarn and bun set for the scripts they run, e.g. `pnpm/12.4.2 npm/? node/v24.22.3 linux x64`).
 * npm when it is unset: the manager every Node.js installation has.
 */

/** The package managers a hint can name. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

const ADD: Readonly<Record<PackageManager, string>> = Object.freeze({
  npm: 'npm install',
  pnpm: 'pnpm add',
  yarn: 'yarn add',
  bun: 'bun add',
});

/** The package manager named first in the user agent; npm for none or an unknown one. */
export function packageManagerOf(env: NodeJS.ProcessEnv): PackageManager {
  const name = /^([a-z]+)\//.exec(env.npm_config_user_agent ?? '')?.[1];
  return name !== undefined && Object.hasOwn(ADD, name) ? (name as PackageManager) : 'npm';
}

/** `npm install <spec>`, `pnpm add <spec>`, ... for the manager that runs this process. */
export function installHint(spec: string, env: NodeJS.ProcessEnv = process.env): string {
  return `${ADD[packageManagerOf(env)]} ${spec}`;
}
