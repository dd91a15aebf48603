/**
 * Setup file for every test (vitest.config.mts): a test that runs no assertion fails, so a test cannot pass by
 * never reaching its `expect` (a loop over an empty list, a callback that never fires, a forgotten await).
 */
import { beforeEach, expect } from 'vitest';

beforeEach(() => {
  expect.hasAssertions();
});
