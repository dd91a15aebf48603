/**
 * Global setup (vitest.config.mts): probes the database servers once per run, prints what will be skipped and
 * why, fails the run under CI=true when a server cannot serve the tests, and hands the result to the test files
 * (`inject('databases')`, read through test/support/databases.ts).
 */
import 'reflect-metadata';
import type { TestProject } from 'vitest/node';
import { describeAvailability, probeDatabases, requireDatabases, type DatabaseAvailability } from '../support/database-probe';

declare module 'vitest' {
  export interface ProvidedContext {
    databases: DatabaseAvailability[];
  }
}

export default async function probeDatabaseServers(project: TestProject): Promise<void> {
  const report = await probeDatabases();
  for (const line of describeAvailability(report)) console.warn(`\n⚠ ${line}\n`);
  const refusal = requireDatabases(report, process.env);
  if (refusal !== null) throw new Error(refusal);
  project.provide('databases', report);
}
