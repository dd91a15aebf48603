// Public API plus the internal subpath the sibling packages use.
export * from '@m8/core';
export * from '@m8/core/internal';
