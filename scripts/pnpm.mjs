// Runs the pinned pnpm (installed by setup.mjs into .tools/) with the given arguments.
import { spawnSync } from 'node:child_process';
import { pnpmBin } from './tools.mjs';

const result = spawnSync(process.execPath, [pnpmBin(), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
