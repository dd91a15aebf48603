// Where the pinned pnpm lives: a project-local install, so a user needs neither root nor corepack.
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
export const toolsDir = join(root, '.tools');
export function pnpmBin() {
  return join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
}

/**
 * npm as `[command, leading args]`, run without a shell: its JavaScript entry under this Node. On
 * Windows `npm` is `npm.cmd`, which Node refuses to spawn without a shell (since 20.12.2, CVE-2024-27980).
 */
export function npmCommand() {
  const underNpm = process.env.npm_execpath;
  if (underNpm && /npm-cli\.js$/.test(underNpm)) return [process.execPath, [underNpm]];
  const nodeDir = dirname(process.execPath);
  const bundled = process.platform === 'win32' ? join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js') : join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  return existsSync(bundled) ? [process.execPath, [bundled]] : ['npm', []];
}
