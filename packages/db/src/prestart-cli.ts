#!/usr/bin/env node
/**
 * The `m8-prestart` bin: waits for the database before the service starts (docs/interop.md §7).
 * All logic lives in `runPrestart`; this file only turns its answer into the exit code.
 */
import { runPrestart } from './prestart';

runPrestart(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`m8-prestart: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
