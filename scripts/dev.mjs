// `npm run dev [-- service args]`: the example in watch mode, restarted about a second after an edit.
//
// Three watchers, each a stock tool, so a user's own service can run the same three (README "Dev loop"):
//   emit   `tsc --noCheck --watch`  writes dist/ without type checking (≈0.3 s an edit; the type check
//          is most of tsc's time and would hold the restart back);
//   types  `tsc --noEmit --watch`   reports type errors next to it, without delaying the restart;
//   run    `node --watch dist/main.js` restarts the service when a file it loaded changes.
// In this repository the packages the example references are rebuilt too (`tsc -b --watch`, type-checked);
// their new dist files restart the service the same way. tsc, not esbuild/tsx: routing-controllers and
// tsyringe read the decorator metadata that esbuild does not emit.
//
// `node scripts/dev.mjs --dir <service>` watches another service directory (its tsconfig.json, entry
// dist/main.js); other arguments go to the service. Ctrl-C (or SIGTERM) stops every watcher.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { root } from './tools.mjs';

// `--dir <service>` is the loop's own; everything else goes to the service (`npm run dev -- --stateful`).
const args = process.argv.slice(2);
const dirAt = args.indexOf('--dir');
const ownDir = dirAt === -1 ? undefined : args.splice(dirAt, 2)[1];
const dir = resolve(ownDir ?? join(root, 'examples', 'items-service'));

// The example needs the workspace installed and built first; another service brings its own.
if (ownDir === undefined) {
  const setup = spawnSync(process.execPath, [join(root, 'scripts', 'setup.mjs')], { stdio: 'inherit' });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}

// The service's own TypeScript, started directly: a signal then reaches tsc, not a wrapper.
const tscBin = createRequire(join(dir, 'package.json')).resolve('typescript/bin/tsc');
const tsc = (...args) => spawn(process.execPath, [tscBin, ...args, '--watch', '--preserveWatchOutput', '--pretty', 'false'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
const referenced = (JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')).references ?? []).map((reference) => reference.path);

// node --watch gives up on an entry that does not exist yet: a service never built is emitted once first.
if (!existsSync(join(dir, 'dist', 'main.js'))) spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.json', '--noCheck'], { cwd: dir, stdio: 'ignore' });

const watchers = {
  ...(referenced.length > 0 ? { packages: tsc('-b', ...referenced) } : {}),
  emit: tsc('-p', 'tsconfig.json', '--noCheck'),
  types: tsc('-p', 'tsconfig.json', '--noEmit'),
};
// An edit made before a watcher has finished its first build can be missed: "ready" says when none is.
let starting = Object.keys(watchers).length;
const watcherReady = () => {
  starting -= 1;
  if (starting === 0) console.error(`dev: ready, watching ${dir}${referenced.length > 0 ? ' and the packages it references' : ''}; an edit restarts the service, type errors print here`);
};
for (const [name, child] of Object.entries(watchers)) reportErrors(name, child, watcherReady);
const service = spawn(process.execPath, ['--watch', '--enable-source-maps', 'dist/main.js', ...args], { cwd: dir, stdio: 'inherit' });
const children = [...Object.values(watchers), service];
console.error('dev: starting the watchers…');

/** tsc's watch chatter stays quiet: only its errors, the all-clear once they are fixed, and its first build. */
function reportErrors(name, child, onFirstBuild) {
  let failing = false;
  let built = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const found = /Found (\d+) errors?/.exec(line);
    if (found) {
      const count = Number(found[1]);
      if (count > 0 || failing) console.error(`dev: ${name}: ${count === 0 ? 'no errors' : `${count} error${count === 1 ? '' : 's'}`}`);
      failing = count > 0;
      if (!built) {
        built = true;
        onFirstBuild();
      }
    } else if (/error TS\d+/.test(line)) {
      console.error(`dev: ${name}: ${line}`);
    }
  });
}

function stop(signal) {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
// The first child to exit decides the code; the others are then stopped.
for (const child of children) child.on('exit', (code) => {
  process.exitCode ??= code ?? 0;
  stop('SIGTERM');
});
