import type { ConsumerServiceSettings } from '@m8/core';

/** Which docs routes a service serves, decided once from its settings. */
export interface DocsToggles {
  /** `{API_PREFIX}/openapi.json` */
  readonly openApi: boolean;
  /** `{API_PREFIX}/docs` (Swagger UI): needs the document. */
  readonly docs: boolean;
  /** `{API_PREFIX}/redoc`: needs the document. */
  readonly redoc: boolean;
}

type ToggleSettings = Pick<ConsumerServiceSettings, 'ENVIRONMENT' | 'SET_OPEN_API' | 'SET_DOCS' | 'SET_REDOC' | 'SERVE_DOCS_IN_PRODUCTION'>;

/**
 * `SET_OPEN_API`, `SET_DOCS`, `SET_REDOC` (default true), all off in `ENVIRONMENT=production` unless
 * `SERVE_DOCS_IN_PRODUCTION=true`. The pages render the JSON document, so without it they are off too.
 *
 * @example
 * docsToggles(settings) // { openApi: true, docs: true, redoc: false } with SET_REDOC=false
 */
export function docsToggles(settings: ToggleSettings): DocsToggles {
  const allowed = settings.ENVIRONMENT !== 'production' || settings.SERVE_DOCS_IN_PRODUCTION;
  const openApi = allowed && settings.SET_OPEN_API;
  return Object.freeze({ openApi, docs: openApi && settings.SET_DOCS, redoc: openApi && settings.SET_REDOC });
}
