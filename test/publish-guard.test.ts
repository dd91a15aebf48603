/**
 * Only pnpm may publish the packages: `npm publish` would ship the manifests' `workspace:` ranges.
 * Every package's `prepublishOnly` (scripts/publish-guard.mjs) refuses any other publisher.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const PACKAGES = ['core', 'auth', 'health', 'db', 'metrics', 'openapi', 'testing'];

/** Our environment minus what describes the run that started us (npm/pnpm set the user agent). */
function env(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|PNPM_|INIT_CWD$)/i.test(name)));
}

describe('publishing', () => {
  it.each(PACKAGES)('@m8/%s runs the publish guard before publishing', (name) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepublishOnly).toBe('node ../../scripts/publish-guard.mjs');
  });

  it('npm publish is refused with the command to use', () => {
    const npm = spawnSync('npm', ['publish', '--dry-run'], { cwd: join(root, 'packages', 'health'), encoding: 'utf8', env: env() });
    expect(npm.stderr).toContain('Publish the m8 packages with pnpm (node scripts/pnpm.mjs publish -r), not npm/');
    expect(npm.status).toBe(1);
  }, 60_000);

  it('pnpm publish passes the guard (dry run)', () => {
    const pnpm = spawnSync(process.execPath, [join(root, 'scripts', 'pnpm.mjs'), 'publish', '--dry-run', '--no-git-checks'], { cwd: join(root, 'packages', 'health'), encoding: 'utf8', env: env() });
    expect(`${pnpm.stdout}${pnpm.stderr}`).toContain('Skip publishing @m8/health@');
    expect(pnpm.status).toBe(0);
  }, 60_000);
});
