// Public API plus the few internals the tests pin down.
export * from '@m8/core';
export { satisfiesCaret as satisfiesCaretForTests } from '../src/compat';
