/**
 * The pieces of routing-controllers the fast executor reuses: its metadata builder (so decorators
 * mean exactly what they mean to routing-controllers) and its error classes (so the error layer
 * answers them exactly as before). Not all are exported from its index, hence the deep requires.
 */
import type { MetadataBuilder as MetadataBuilderType } from 'routing-controllers/types/metadata-builder/MetadataBuilder';
import type { ParamRequiredError as ParamRequiredErrorType } from 'routing-controllers/types/error/ParamRequiredError';
import type { InvalidParamError as InvalidParamErrorType } from 'routing-controllers/types/error/ParamNormalizationError';
import type { ParameterParseJsonError as ParameterParseJsonErrorType } from 'routing-controllers/types/error/ParameterParseJsonError';
import type { AccessDeniedError as AccessDeniedErrorType } from 'routing-controllers/types/error/AccessDeniedError';
import type { AuthorizationRequiredError as AuthorizationRequiredErrorType } from 'routing-controllers/types/error/AuthorizationRequiredError';

export type { ActionMetadata } from 'routing-controllers/types/metadata/ActionMetadata';
export type { ControllerMetadata } from 'routing-controllers/types/metadata/ControllerMetadata';
export type { ParamMetadata } from 'routing-controllers/types/metadata/ParamMetadata';

/* eslint-disable @typescript-eslint/no-require-imports */
const load = <T>(path: string, name: string): T => (require(`routing-controllers/cjs/${path}`) as Record<string, T>)[name]!;

export const MetadataBuilder = load<typeof MetadataBuilderType>('metadata-builder/MetadataBuilder', 'MetadataBuilder');
export const ParamRequiredError = load<typeof ParamRequiredErrorType>('error/ParamRequiredError', 'ParamRequiredError');
export const InvalidParamError = load<typeof InvalidParamErrorType>('error/ParamNormalizationError', 'InvalidParamError');
export const ParameterParseJsonError = load<typeof ParameterParseJsonErrorType>('error/ParameterParseJsonError', 'ParameterParseJsonError');
export const AccessDeniedError = load<typeof AccessDeniedErrorType>('error/AccessDeniedError', 'AccessDeniedError');
export const AuthorizationRequiredError = load<typeof AuthorizationRequiredErrorType>('error/AuthorizationRequiredError', 'AuthorizationRequiredError');
