/** Public types: what must compile, and misuse that must not (checked by `tsc -p packages/db/test`). */
import { describe, expectTypeOf, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/core';
import type { M8Plugin } from '@m8/core';
import { createDbEngine, DbEngine, waitForDatabase, type CreateDbEngineOptions, type DbHealthResult } from '@m8/db';

describe('public types', () => {
  it('DbEngine is a plugin with a typed em, health result and run()', () => {
    expectTypeOf<DbEngine>().toMatchTypeOf<M8Plugin>();
    expectTypeOf<DbEngine['em']>().toEqualTypeOf<EntityManager>();
    expectTypeOf<ReturnType<DbEngine['healthCheck']>>().toEqualTypeOf<Promise<DbHealthResult>>();
    expectTypeOf<DbHealthResult['status']>().toEqualTypeOf<'ok' | 'fail'>();
    expectTypeOf(createDbEngine).returns.toEqualTypeOf<Promise<DbEngine>>();
    expectTypeOf<DbEngine['run']>().toBeCallableWith((em: EntityManager) => em.count('Item'));
  });

  it('rejects misuse at compile time', () => {
    const options: CreateDbEngineOptions[] = [
      // @ts-expect-error pool sizes are numbers
      { pool: { max: 'ten' } },
      // @ts-expect-error unknown pool option
      { pool: { maximum: 10 } },
      // @ts-expect-error the health timeout is in milliseconds, a number
      { healthCheckTimeoutMs: '2s' },
    ];
    expectTypeOf(options).toBeArray();
    // @ts-expect-error waitForDatabase needs something with healthCheck()
    const bad = () => waitForDatabase({ ping: () => true });
    expectTypeOf(bad).toBeFunction();
  });
});
