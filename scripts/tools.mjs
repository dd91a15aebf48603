// Where the pinned pnpm lives: a project-local install, so a user needs neither root nor corepack.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
export const toolsDir = join(root, '.tools');
export function pnpmBin() {
  return join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
}
