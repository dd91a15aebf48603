/**
 * `openapi(options)`: the M8Plugin serving the document and the two pages as
 * internal routes (never part of the document themselves). Everything is built in `setup()`; a
 * request only picks a prepared buffer.
 */
import type { AppContext, InternalRoute, M8Plugin } from '@m8/core';
import { InvariantError } from '@m8/core';
import { redocFiles, swaggerUiFiles, type AssetFiles } from './assets';
import { generateDocument } from './document';
import { resolveOptions, validateOptions, type OpenApiOptions, type ResolvedOpenApiOptions } from './options';
import {
  contentSecurityPolicy,
  oauth2RedirectHtml,
  originOf,
  redocHtml,
  redocInitializer,
  swaggerUiHtml,
  swaggerUiInitializer,
  type PageInput,
} from './pages';
import { IMMUTABLE, REVALIDATE, serveFile, staticFile, type StaticFile } from './static-file';
import { docsToggles, type DocsToggles } from './toggles';
import { OPENAPI_PACKAGE } from './version';

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';

/**
 * The docs plugin: list it in `plugins` to serve the document and pages, which then follow
 * `SET_OPEN_API`, `SET_DOCS`, `SET_REDOC` and `SERVE_DOCS_IN_PRODUCTION`. Options are checked here,
 * at once (`OpenApiOptionsError`).
 *
 * @example
 * await bootstrap(settings, { controllers, plugins: [openapi({ description: 'Items API' })] });
 */
export function openapi(options: OpenApiOptions = {}): M8Plugin {
  const validated = validateOptions(options);
  return Object.freeze({
    name: 'openapi',
    package: OPENAPI_PACKAGE,
    setup: (app: AppContext) => setupDocs(app, docsToggles(app.settings), resolveOptions(app.settings, validated)),
  });
}

function setupDocs(app: AppContext, toggles: DocsToggles, options: ResolvedOpenApiOptions): void {
  if (!toggles.openApi) return; // disabled routes answer core's 404 like any unknown path
  const prefix = app.apiPrefix;
  const documentPath = `${prefix}/openapi.json`;
  const { document: built, bareClasses } = generateDocument({
    controllers: app.controllers,
    apiPrefix: prefix,
    title: app.serviceName,
    version: app.serviceVersion,
    description: options.description,
    tokenUrl: options.tokenUrl,
  });
  if (bareClasses.length > 0) {
    app.logger.warn({ event: 'openapi_bare_classes', classes: bareClasses }, 'classes without class-validator decorators are documented as bare objects');
  }
  const document = options.transformDocument ? options.transformDocument(built) : built;
  const json = staticFile(JSON.stringify(document), 'application/json; charset=utf-8', REVALIDATE);
  app.route(route(documentPath, [documentPath], json));

  const pages = { title: app.serviceName, documentPath, docsPath: `${prefix}/docs` };
  const connectOrigins = [originOf(options.tokenUrl)].filter((origin): origin is string => origin !== undefined);
  if (toggles.docs) {
    const assets = mountAssets(app, `${prefix}/docs/assets`, swaggerUiFiles(), (input) => ({ 'swagger-initializer.js': swaggerUiInitializer(input) }), pages);
    const csp = { 'Content-Security-Policy': contentSecurityPolicy({ connectOrigins }) };
    app.route(route(`${prefix}/docs`, [`${prefix}/docs`, `${prefix}/docs/`], staticFile(swaggerUiHtml(assets), HTML, REVALIDATE, csp)));
    const redirect = `${prefix}/docs/oauth2-redirect.html`;
    app.route(route(redirect, [redirect], staticFile(oauth2RedirectHtml(assets), HTML, REVALIDATE, csp)));
    app.logger.debug({ event: 'docs', path: `${prefix}/docs` }, 'Swagger UI served');
  }
  if (toggles.redoc) {
    const assets = mountAssets(app, `${prefix}/redoc/assets`, redocFiles(), (input) => ({ 'redoc-init.js': redocInitializer(input) }), pages);
    const csp = { 'Content-Security-Policy': contentSecurityPolicy({ worker: true }) };
    app.route(route(`${prefix}/redoc`, [`${prefix}/redoc`, `${prefix}/redoc/`], staticFile(redocHtml(assets), HTML, REVALIDATE, csp)));
    app.logger.debug({ event: 'docs', path: `${prefix}/redoc` }, 'ReDoc served');
  }
}

/**
 * Serves `files` and the generated script(s) under `base`, each at `{base}/{name}`, addressed by
 * the pages with `?v={content hash}` so they can be cached for a year.
 */
function mountAssets(
  app: AppContext,
  base: string,
  files: AssetFiles,
  scripts: (input: PageInput) => Record<string, string>,
  pages: Omit<PageInput, 'asset'>,
): PageInput {
  const served = new Map<string, StaticFile>();
  for (const [name, file] of Object.entries(files)) served.set(name, staticFile(file.body, file.type, IMMUTABLE));
  const asset = (name: string): string => {
    const file = served.get(name);
    if (file === undefined) throw new InvariantError(`no docs asset named ${name}`); // a bug in this package
    return `${base}/${name}?v=${file.version}`;
  };
  const input: PageInput = { ...pages, asset };
  // The generated scripts only name the document and the pages' paths, never an asset.
  for (const [name, source] of Object.entries(scripts(input))) served.set(name, staticFile(source, JS, IMMUTABLE));
  for (const [name, file] of served) app.route(route(`${base}/:file`, [`${base}/${name}`], file));
  return input;
}

function route(template: string, paths: readonly string[], file: StaticFile): InternalRoute {
  return { method: 'GET', paths, template, handler: serveFile(file) };
}
