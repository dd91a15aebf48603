/**
 * Libraries that must be installed once. koa, routing-controllers, tsyringe, reflect-metadata,
 * class-validator and class-transformer keep process-wide state (decorator metadata, the DI
 * registry, `instanceof` checks): a second copy (say npm nesting another tsyringe under one
 * package) makes DI-built controllers fail at request time. Core resolves each of them from its
 * own location, from each plugin's package and from the service's directory, and refuses to start
 * when two of those land on different copies.
 */
import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { M8Error } from './m8-error';
import type { M8Plugin } from './plugin';
import { readPackageInfo } from './util/package-info';

/** The peer dependencies every m8 package shares with the service: one copy each. */
export const SHARED_PEERS = ['koa', 'routing-controllers', 'tsyringe', 'reflect-metadata', 'class-validator', 'class-transformer'] as const;
export type SharedPeer = (typeof SHARED_PEERS)[number];

export interface DuplicateCopy {
  readonly package: SharedPeer;
  /** The package directories found, each with who resolved it (`@m8/core`, a plugin's package, the service). */
  readonly copies: readonly { readonly path: string; readonly version: string; readonly seenFrom: readonly string[] }[];
}

/** Two copies of a shared peer would be loaded. */
export class DuplicatePackageError extends M8Error {
  static override readonly code = 'ERR_M8_DUPLICATE_PACKAGE';
  override readonly code = DuplicatePackageError.code;
  constructor(readonly duplicates: readonly DuplicateCopy[]) {
    super(
      'These packages are installed more than once; each must be one copy shared by the service and every m8 package:\n' +
        duplicates
          .map((d) => `  - ${d.package}:\n` + d.copies.map((c) => `      ${c.version} at ${c.path} (used by ${c.seenFrom.join(', ')})`).join('\n'))
          .join('\n') +
        '\nInstall one version that satisfies every peer range (the package manager then dedupes them), e.g. remove the nested copies and reinstall.',
    );
  }
}

/** Where each shared peer resolves from. `origins` maps a label (who looks) to a directory. */
export function findDuplicateCopies(origins: ReadonlyMap<string, string>): DuplicateCopy[] {
  const duplicates: DuplicateCopy[] = [];
  for (const name of SHARED_PEERS) {
    const byPath = new Map<string, { version: string; seenFrom: string[] }>();
    for (const [label, dir] of origins) {
      const found = locate(name, dir);
      if (found === undefined) continue;
      const entry = byPath.get(found.path) ?? { version: found.version, seenFrom: [] };
      entry.seenFrom.push(label);
      byPath.set(found.path, entry);
    }
    if (byPath.size > 1) duplicates.push({ package: name, copies: [...byPath].map(([path, c]) => ({ path, version: c.version, seenFrom: c.seenFrom })) });
  }
  return duplicates;
}

/** Fails when core, a plugin's package or the service would load a second copy of a shared peer. */
export function assertSingleCopies(plugins: readonly M8Plugin[], serviceDir: string = process.cwd()): void {
  const origins = new Map<string, string>([['@m8/core', __dirname]]);
  for (const plugin of plugins) if (plugin.package?.path) origins.set(plugin.package.name, plugin.package.path);
  origins.set('the service', serviceDir);
  const duplicates = findDuplicateCopies(origins);
  if (duplicates.length > 0) throw new DuplicatePackageError(duplicates);
}

/** The real directory and version of `name` as Node resolves it from `dir`, or undefined when it is not there. */
function locate(name: string, dir: string): { path: string; version: string } | undefined {
  let entry: string;
  try {
    entry = require.resolve(name, { paths: [dir] });
  } catch {
    return undefined; // not resolvable from there: that origin does not use it
  }
  const info = readPackageInfo(dirname(entry), name);
  return { path: realpathSync(info.path ?? join(dirname(entry))), version: info.version };
}
