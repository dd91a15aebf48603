// First step of `npm start` and `npm test`: install what is missing, then build.
// 1. pnpm at the version pinned in package.json#packageManager, into .tools/ (no root, no corepack).
// 2. Workspace dependencies, when node_modules is missing or older than the lockfile.
// 3. Build-time assets (the docs pages' files @m8/openapi ships), then `tsc -b` (incremental: a
//    no-op when nothing changed).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, toolsDir, pnpmVersion, pnpmBin, npmCommand } from './tools.mjs';

// The published packages support Node 22.12+ (package.json#engines). Developing on Node 20.19+ still
// works (require(esm) is there), but Node 20 is past its end of life: say so once.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`m8 needs Node.js 20.19 or newer to build and test, 22.12+ to run supported (found ${process.versions.node}).`);
  process.exit(1);
}
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(`setup: Node.js ${process.versions.node} is past its end of life; m8 supports Node 22.12+, 24 and 26 (CI runs the suite on 24).`);
}

// Each step says what it does before it starts and how long it took, so a first run (about 20 s of
// installing and building) never sits silent. A step with nothing to do stays quiet.
function run(cmd, args, what) {
  const started = Date.now();
  console.error(`setup: ${what}…`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' } });
  if (result.status !== 0) {
    console.error(`setup: ${what} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
  console.error(`setup: ${what} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function installedPnpmVersion() {
  try {
    return JSON.parse(readFileSync(join(toolsDir, 'node_modules', 'pnpm', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

if (installedPnpmVersion() !== pnpmVersion) {
  const [npm, npmArgs] = npmCommand();
  run(npm, [...npmArgs, 'install', '--prefix', toolsDir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`], `installing pnpm ${pnpmVersion} into .tools/`);
}

const modulesMarker = join(root, 'node_modules', '.modules.yaml');
const lockfile = join(root, 'pnpm-lock.yaml');
const stale = !existsSync(modulesMarker) || (existsSync(lockfile) && statSync(lockfile).mtimeMs > statSync(modulesMarker).mtimeMs);
if (stale) {
  const frozen = existsSync(lockfile) && process.env.CI ? ['--frozen-lockfile'] : [];
  run(process.execPath, [pnpmBin(), 'install', ...frozen], 'installing dependencies (pnpm install)');
}

run(process.execPath, [join(root, 'packages', 'openapi', 'scripts', 'copy-assets.mjs')], 'copying the docs assets of @m8/openapi');
run(process.execPath, [pnpmBin(), 'exec', 'tsc', '-b'], 'building the packages (tsc -b, incremental)');
