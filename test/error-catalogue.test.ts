/**
 * The catalogue of coded errors: every error class a package exports is an M8Error with its own
 * `static code`, the same `code` on instances, its own `name`, a code no other class uses, and a
 * line in the README that lists the package's codes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as core from '@m8/core';
import * as auth from '@m8/auth';
import * as db from '@m8/db';
import * as health from '@m8/health';
import * as metrics from '@m8/metrics';
import * as openapi from '@m8/openapi';
import * as testing from '@m8/testing';

type ErrorClass = (new (...args: never[]) => core.M8Error) & { readonly code: string };

const PACKAGES = { core, auth, db, health, metrics, openapi, testing } as const;

function errorClasses(exports: Record<string, unknown>): [string, ErrorClass][] {
  return Object.entries(exports).filter(
    (entry): entry is [string, ErrorClass] => typeof entry[1] === 'function' && (entry[1] === core.M8Error || entry[1].prototype instanceof core.M8Error),
  );
}

/** A concrete class declares its own code; abstract bases (ProblemsError, TokenRejectedError) do not. */
const concrete = ([, cls]: [string, ErrorClass]): boolean => Object.hasOwn(cls, 'code');

/** An instance built with empty arguments (every constructor copes: the catalogue needs only its code). */
function instance(cls: ErrorClass): core.M8Error {
  const Ctor = cls as unknown as new (...args: unknown[]) => core.M8Error;
  try {
    return new Ctor();
  } catch {
    return new Ctor([], []);
  }
}

const catalogue = Object.entries(PACKAGES).flatMap(([pkg, exports]) => errorClasses(exports as Record<string, unknown>).filter(concrete).map(([name, cls]) => ({ pkg, name, cls })));

/**
 * Each package's literal union of codes, spelled out: the compiler (test/typecheck.test.ts) makes
 * each record name every member of the union and nothing else; the test below compares it with the
 * classes the package exports.
 */
const CODE_UNIONS: Record<keyof typeof PACKAGES, Record<string, true>> = {
  core: {
    ERR_M8: true, ERR_M8_HTTP: true, ERR_M8_VALIDATION: true, ERR_M8_SETTINGS: true, ERR_M8_STARTUP: true, ERR_M8_TEARDOWN_TIMEOUT: true, ERR_M8_STARTUP_TIMEOUT: true, ERR_M8_SHUTDOWN_TIMEOUT: true,
    ERR_M8_ALREADY_LISTENING: true, ERR_M8_APP_SEALED: true, ERR_M8_AUTH_PROVIDER_CONFLICT: true, ERR_M8_AUTH_PLUGIN_REQUIRED: true,
    ERR_M8_DUPLICATE_PLUGIN: true, ERR_M8_MISSING_PLUGIN: true, ERR_M8_DUPLICATE_ROUTE: true, ERR_M8_INCOMPATIBLE_PACKAGES: true,
    ERR_M8_DUPLICATE_PACKAGE: true, ERR_M8_PACKAGE_JSON_NOT_FOUND: true, ERR_M8_NO_APP: true, ERR_M8_AMBIGUOUS_APP: true,
    ERR_M8_NOT_PROVIDED: true, ERR_M8_INVARIANT: true, ERR_M8_ROUTING_SETUP: true, ERR_M8_CLUSTER_GATHER: true,
  } satisfies Record<core.CoreErrorCode, true>,
  auth: {
    ERR_M8_JWT_MALFORMED: true, ERR_M8_JWT_SIGNATURE_INVALID: true, ERR_M8_JWT_ALGORITHM_NOT_ALLOWED: true, ERR_M8_JWT_EXPIRED: true,
    ERR_M8_JWT_NOT_YET_VALID: true, ERR_M8_JWT_CLAIM_INVALID: true, ERR_M8_JWKS_NO_MATCHING_KEY: true, ERR_M8_JWKS_INVALID: true,
    ERR_M8_AUTH_NOT_AUTHENTICATED: true, ERR_M8_AUTH_INVALID_TOKEN: true, ERR_M8_AUTH_TOKEN_REVOKED: true,
    ERR_M8_AUTH_REVOCATION_UNAVAILABLE: true, ERR_M8_AUTH_INACTIVE_USER: true, ERR_M8_AUTH_FORBIDDEN: true, ERR_M8_AUTH_USAGE: true,
    ERR_M8_AUTH_CONFIG: true, ERR_M8_SERVICE_TOKEN: true,
  } satisfies Record<auth.AuthErrorCode, true>,
  db: {
    ERR_M8_DB_NO_SCOPE: true, ERR_M8_DB_DISPOSED: true, ERR_M8_DB_UNAVAILABLE: true, ERR_M8_DB_DRIVER_MISSING: true,
    ERR_M8_DB_DEADLINE: true, ERR_M8_DB_OPTIONS: true, ERR_M8_PRESTART_CONFIG: true, ERR_M8_DB_DESTRUCTIVE_SCHEMA_REFUSED: true,
    ERR_M8_DB_TEMPORARILY_UNAVAILABLE: true, ERR_M8_DB_UNIQUE_VIOLATION: true, ERR_M8_DB_FOREIGN_KEY_VIOLATION: true,
    ERR_M8_DB_CONSTRAINT_VIOLATION: true, ERR_M8_DB_NOT_NULL_VIOLATION: true, ERR_M8_DB_CHECK_VIOLATION: true,
  } satisfies Record<db.DbErrorCode, true>,
  health: { ERR_M8_HEALTH_OPTIONS: true, ERR_M8_HEALTH_STATUS: true, ERR_M8_HEALTH_CHECK_TIMEOUT: true } satisfies Record<health.HealthErrorCode, true>,
  metrics: { ERR_M8_METRICS_PLUGIN_REUSED: true, ERR_M8_METRICS_LABEL_RESERVED: true } satisfies Record<metrics.MetricsErrorCode, true>,
  openapi: { ERR_M8_OPENAPI_OPTIONS: true, ERR_M8_OPENAPI_DOCUMENT: true, ERR_M8_OPENAPI_ASSET: true } satisfies Record<openapi.OpenApiErrorCode, true>,
  testing: { ERR_M8_TESTING_USAGE: true },
};

describe('the error catalogue', () => {
  it.each(Object.keys(PACKAGES))("%s: the code union is exactly the codes of the package's error classes", (pkg) => {
    const codes = catalogue.filter((e) => e.pkg === pkg).map((e) => e.cls.code);
    expect(codes.sort()).toEqual(Object.keys(CODE_UNIONS[pkg as keyof typeof PACKAGES]).sort());
  });

  it('holds the classes of every package', () => {
    expect(new Set(catalogue.map((e) => e.pkg))).toEqual(new Set(Object.keys(PACKAGES)));
    expect(catalogue.length).toBeGreaterThan(40);
  });

  it.each(catalogue.map((e) => [`${e.pkg} ${e.name}`, e] as const))('%s: static code = instance code, own name, an M8Error', (_label, { name, cls }) => {
    expect(cls.code).toMatch(/^ERR_M8(_[A-Z0-9]+)*$/);
    const error = instance(cls);
    expect(error).toBeInstanceOf(core.M8Error);
    expect(core.M8Error.isM8Error(error)).toBe(true);
    expect(error.code).toBe(cls.code);
    expect(error.name).toBe(name);
  });

  it('gives each class its own code', () => {
    const byCode = new Map<string, string[]>();
    for (const { pkg, name, cls } of catalogue) byCode.set(cls.code, [...(byCode.get(cls.code) ?? []), `${pkg}.${name}`]);
    expect([...byCode].filter(([, owners]) => owners.length > 1)).toEqual([]);
  });

  it.each(catalogue.map((e) => [`${e.pkg} ${e.name}`, e] as const))("%s is in its package README's error table", (_label, { pkg, name, cls }) => {
    const readme = readFileSync(join(__dirname, '..', 'packages', pkg, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${cls.code}\``);
    expect(readme).toContain(name);
  });
});
