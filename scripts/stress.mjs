// `npm run test:stress [-- --runs N] [-- <vitest args>]`: the whole suite N times in a row (default 5) while
// another process keeps one core busy, as a loaded CI machine would. Fails if any run fails; prints each
// run's result and duration. A flake shows up here before it shows up in CI.
import { spawn } from 'node:child_process';
import { pnpmBin, root } from './tools.mjs';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('test:stress: --runs takes a positive integer');
  process.exit(2);
}

// One core kept busy for the whole time: a child spinning until it is killed.
const burner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
const stopBurner = () => burner.exitCode === null && burner.kill('SIGKILL');
let current;
process.on('exit', () => {
  stopBurner();
  if (current && current.exitCode === null) current.kill('SIGTERM');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

function runOnce() {
  return new Promise((resolve) => {
    current = spawn(process.execPath, [...vitest, 'run', ...args], { cwd: root, stdio: 'inherit' });
    current.once('exit', (code) => resolve(code));
  });
}

// Through pnpm exec, like `npm test` (it puts the workspace packages on NODE_PATH).
const vitest = [pnpmBin(), 'exec', 'vitest'];
const results = [];
for (let run = 1; run <= runs; run += 1) {
  console.log(`\ntest:stress: run ${run} of ${runs} (one core kept busy by pid ${burner.pid})`);
  const started = Date.now();
  const code = await runOnce();
  results.push({ run, passed: code === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
stopBurner();

const passed = results.filter((r) => r.passed).length;
console.log('\n| run | result | seconds |\n|---|---|---|');
for (const r of results) console.log(`| ${r.run} | ${r.passed ? 'passed' : 'FAILED'} | ${r.seconds} |`);
console.log(`\ntest:stress: ${passed} of ${runs} runs passed`);
process.exit(passed === runs ? 0 : 1);
