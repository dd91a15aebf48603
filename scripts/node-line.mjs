// Installs the newest Node.js of one release line from the npm registry (the `node-<os>-<arch>`
// binary packages) into .tools/node-<line>/ and prints its bin directory, for CI to put first on
// PATH: `PATH="$(node scripts/node-line.mjs 24):$PATH" npm test`. Reuses an install of that line.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { npmCommand, toolsDir } from './tools.mjs';

const line = process.argv[2];
if (!/^\d+$/.test(line ?? '')) {
  console.error('usage: node scripts/node-line.mjs <major>   (e.g. 24)');
  process.exit(2);
}
const pkg = `node-${process.platform}-${process.arch}`;
const prefix = join(toolsDir, `node-${line}`);
const bin = join(prefix, 'node_modules', pkg, 'bin');
const node = join(bin, process.platform === 'win32' ? 'node.exe' : 'node');

if (!existsSync(node)) {
  console.error(`node-line: installing ${pkg}@${line} into .tools/node-${line}/`);
  const [npm, npmArgs] = npmCommand();
  const result = spawnSync(npm, [...npmArgs, 'install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `${pkg}@${line}`], { stdio: ['ignore', 2, 2] }); // our stdout carries only the bin path
  if (result.status !== 0) {
    console.error(`node-line: installing ${pkg}@${line} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
if (version.split('.')[0] !== `v${line}`) {
  console.error(`node-line: ${node} is ${version || 'not runnable'}, not Node ${line}.`);
  process.exit(1);
}
console.error(`node-line: Node ${version} at ${bin}`);
process.stdout.write(`${bin}\n`);
