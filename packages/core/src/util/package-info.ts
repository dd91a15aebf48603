/** The one way an m8 package reads its own name and version: from the package.json above its code. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { M8Error } from '../m8-error';
import type { PackageInfo } from '../plugin';

export class PackageJsonNotFoundError extends M8Error {
  static override readonly code = 'ERR_M8_PACKAGE_JSON_NOT_FOUND';
  override readonly code = PackageJsonNotFoundError.code;
}

/**
 * Reads the nearest package.json at or above `dir` (pass `__dirname`: the same from `src/` and
 * `dist/`). With `name`, skips package.json files of other names (a nested `"type"` marker).
 */
export function readPackageInfo(dir: string, name?: string): PackageInfo {
  for (let current = dir; ; current = dirname(current)) {
    const file = join(current, 'package.json');
    const json = readJson(file);
    if (json !== undefined && typeof json.name === 'string' && typeof json.version === 'string' && (name === undefined || json.name === name)) {
      return Object.freeze({ name: json.name, version: json.version, path: current });
    }
    if (dirname(current) === current) throw new PackageJsonNotFoundError(`No package.json${name ? ` of ${name}` : ''} at or above ${dir}`);
  }
}

function readJson(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  } catch {
    return undefined; // absent or unreadable: keep looking upwards
  }
}
