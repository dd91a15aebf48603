// `npm run mutation [-- <stryker options>]`: StrykerJS over the security-critical modules (stryker.config.mjs),
// then one line per file with its mutation score. Fails when the score is under the config's `break` threshold.
// Slow on a loaded machine: `-- --mutate packages/auth/src/claims.ts` narrows it to one file.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Through pnpm exec, like `npm test` (it puts the workspace packages on NODE_PATH).
const run = spawnSync(process.execPath, [join(root, 'scripts/pnpm.mjs'), 'exec', 'stryker', 'run', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });

const report = join(root, 'reports/mutation/mutation.json');
if (existsSync(report)) {
  const { files } = JSON.parse(readFileSync(report, 'utf8'));
  const DETECTED = new Set(['Killed', 'Timeout']);
  const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
  console.log('\n| file | score | killed | survived | no coverage |\n|---|---|---|---|---|');
  for (const [file, { mutants }] of Object.entries(files)) {
    const counted = mutants.filter((m) => COUNTED.has(m.status));
    const detected = counted.filter((m) => DETECTED.has(m.status)).length;
    const survived = counted.filter((m) => m.status === 'Survived').length;
    const uncovered = counted.filter((m) => m.status === 'NoCoverage').length;
    const score = counted.length === 0 ? 100 : (100 * detected) / counted.length;
    console.log(`| ${file} | ${score.toFixed(1)} % | ${detected} | ${survived} | ${uncovered} |`);
  }
}
process.exit(run.status ?? 1);
