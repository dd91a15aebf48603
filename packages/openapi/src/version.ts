import type { PackageInfo } from '@m8/core';
import { readPackageInfo } from '@m8/core/internal';

/** This package's name, version and directory, for core's compatibility and duplicate-copy checks. */
export const OPENAPI_PACKAGE: PackageInfo = readPackageInfo(__dirname, '@m8/openapi');
