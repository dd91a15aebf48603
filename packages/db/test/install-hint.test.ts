import { describe, expect, it } from 'vitest';
import { installHint, packageManagerOf } from '../src/install-hint';

describe('installHint', () => {
  it.each([
    ['npm/11.6.2 node/v24.22.3 linux x64 workspaces/false', 'npm', 'npm install koa@3.3.0'],
    ['pnpm/12.4.2 npm/? node/v24.22.3 linux x64', 'pnpm', 'pnpm add koa@3.3.0'],
    ['yarn/4.9.1 npm/? node/v22.23.5 linux x64', 'yarn', 'yarn add koa@3.3.0'],
    ['bun/1.3.0 npm/? node/v24.3.0 linux x64', 'bun', 'bun add koa@3.3.0'],
  ])('names the manager of the user agent %s', (agent, manager, hint) => {
    expect(packageManagerOf({ npm_config_user_agent: agent })).toBe(manager);
    expect(installHint('koa@3.3.0', { npm_config_user_agent: agent })).toBe(hint);
  });

  it.each([[undefined], [''], ['deno/2.4.0 node/v22'], ['constructor/1 node/v22']])('falls back to npm for the agent %j', (agent) => {
    const env = agent === undefined ? {} : { npm_config_user_agent: agent };
    expect(packageManagerOf(env)).toBe('npm');
    expect(installHint('@mikro-orm/libsql@6.6.16', env)).toBe('npm install @mikro-orm/libsql@6.6.16');
  });
});
