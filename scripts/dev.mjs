// `npm run dev`: the example in watch mode. `tsc -b --watch` rebuilds what an edit touches
// (incrementally) and `node --watch` restarts the service when its built files
// change. tsc, not esbuild/tsx: routing-controllers and tsyringe need emitted decorator metadata,
// which esbuild does not produce. Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, pnpmBin } from './tools.mjs';

const setup = spawnSync(process.execPath, [join(root, 'scripts', 'setup.mjs')], { stdio: 'inherit' });
if (setup.status !== 0) process.exit(setup.status ?? 1);

const example = join(root, 'examples', 'items-service');
const children = [
  spawn(process.execPath, [pnpmBin(), 'exec', 'tsc', '-b', '--watch', '--preserveWatchOutput'], { cwd: example, stdio: 'inherit' }),
  spawn(process.execPath, ['--watch', '--enable-source-maps', 'dist/main.js'], { cwd: example, stdio: 'inherit' }),
];
console.error('dev: watching examples/items-service and the packages; edit a .ts file and the service restarts');

function stop(signal) {
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
// The first child to exit decides the code; the other one is then stopped (and exits null).
for (const child of children) child.on('exit', (code) => {
  process.exitCode ??= code ?? 0;
  stop('SIGTERM');
});
