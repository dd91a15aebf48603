/**
 * Whether the browser tests run, skip or fail: they need a headless Chromium (`/usr/bin/chromium`, or the one
 * M8_CHROMIUM_PATH names). Without one they are skipped with the reason printed, unless the run requires them
 * (CI=true, or M8_REQUIRE_BROWSER=1): then they fail with the same reason.
 */
import { existsSync } from 'node:fs';

export type BrowserPlan =
  | { readonly action: 'run'; readonly executable: string }
  | { readonly action: 'skip' | 'fail'; readonly executable: string; readonly reason: string };

export function planBrowserTests(env: NodeJS.ProcessEnv, exists: (path: string) => boolean = existsSync): BrowserPlan {
  const executable = env.M8_CHROMIUM_PATH || '/usr/bin/chromium';
  if (exists(executable)) return { action: 'run', executable };
  const required = env.CI === 'true' ? 'CI=true' : env.M8_REQUIRE_BROWSER === '1' ? 'M8_REQUIRE_BROWSER=1' : null;
  const missing = `no Chromium at ${executable} (install it: apt-get install -y chromium, or set M8_CHROMIUM_PATH)`;
  if (required !== null) return { action: 'fail', executable, reason: `${missing}; ${required} requires the browser tests` };
  return { action: 'skip', executable, reason: `${missing}; set M8_REQUIRE_BROWSER=1 to make this a failure` };
}
