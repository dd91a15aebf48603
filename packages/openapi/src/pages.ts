/**
 * The Swagger UI and ReDoc pages. Their configuration lives in generated script files, not inline
 * scripts, so the pages run under a CSP whose `script-src` is `'self'` alone; both UIs inject
 * styles at runtime, hence `'unsafe-inline'` for styles only.
 */

/** Where the pages live and what they load. */
export interface PageInput {
  /** `info.title`, shown as the page title. */
  readonly title: string;
  /** URL path of the JSON document, e.g. `/api/openapi.json`. */
  readonly documentPath: string;
  /** URL path of the Swagger UI page's directory, e.g. `/api/docs`. */
  readonly docsPath: string;
  /** Asset URL (with its cache-busting version) by file name. */
  readonly asset: (name: string) => string;
}

/** `'self'`, plus the token URL's origin when Swagger UI's Authorize must post elsewhere. */
export function contentSecurityPolicy(options: { connectOrigins?: readonly string[]; worker?: boolean } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...(options.connectOrigins ?? [])].join(' ')}`,
    // ReDoc's search index runs in a worker built from a Blob.
    ...(options.worker ? ["worker-src 'self' blob:"] : []),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The origin a token URL points to, when it is absolute. */
export function originOf(url: string): string | undefined {
  return url.startsWith('/') ? undefined : new URL(url).origin;
}

/** Swagger UI's page: the stock layout without the top bar (no "explore any URL" box). */
export function swaggerUiHtml(input: PageInput): string {
  return page(`${input.title} - Swagger UI`, [
    `<link rel="stylesheet" href="${input.asset('swagger-ui.css')}">`,
    `<link rel="stylesheet" href="${input.asset('index.css')}">`,
    `<link rel="icon" type="image/png" sizes="32x32" href="${input.asset('favicon-32x32.png')}">`,
    `<link rel="icon" type="image/png" sizes="16x16" href="${input.asset('favicon-16x16.png')}">`,
  ], [
    '<div id="swagger-ui"></div>',
    `<script src="${input.asset('swagger-ui-bundle.js')}"></script>`,
    `<script src="${input.asset('swagger-initializer.js')}"></script>`,
  ]);
}

/** Swagger UI's configuration, as a script file. */
export function swaggerUiInitializer(input: PageInput): string {
  const config = {
    url: input.documentPath,
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    // The default validator badge loads an image from validator.swagger.io.
    validatorUrl: null,
    oauth2RedirectPath: `${input.docsPath}/oauth2-redirect.html`,
  };
  return `'use strict';
window.addEventListener('load', function () {
  var config = ${JSON.stringify(config)};
  config.oauth2RedirectUrl = window.location.origin + config.oauth2RedirectPath;
  config.presets = [SwaggerUIBundle.presets.apis];
  config.layout = 'BaseLayout';
  window.ui = SwaggerUIBundle(config);
});
`;
}

/** The OAuth2 redirect page of Swagger UI (used by the authorization-code and implicit flows). */
export function oauth2RedirectHtml(input: PageInput): string {
  return page('Swagger UI: OAuth2 redirect', [], [`<script src="${input.asset('oauth2-redirect.js')}"></script>`]);
}

/** ReDoc's page. */
export function redocHtml(input: PageInput): string {
  return page(`${input.title} - ReDoc`, [
    `<link rel="icon" type="image/png" sizes="32x32" href="${input.asset('favicon-32x32.png')}">`,
    // ReDoc's theme names Montserrat and Roboto; without a network, system fonts stand in.
    '<style>body { margin: 0; padding: 0; }</style>',
  ], [
    '<div id="redoc"></div>',
    `<script src="${input.asset('redoc.standalone.js')}"></script>`,
    `<script src="${input.asset('redoc-init.js')}"></script>`,
  ]);
}

/** ReDoc's configuration, as a script file. */
export function redocInitializer(input: PageInput): string {
  const options = { hideDownloadButton: false, expandResponses: '200,201', pathInMiddlePanel: true, sortPropsAlphabetically: false };
  return `'use strict';
Redoc.init(${JSON.stringify(input.documentPath)}, ${JSON.stringify(options)}, document.getElementById('redoc'));
`;
}

function page(title: string, head: readonly string[], body: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head.join('\n')}
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

/** Service names are free text (spaces allowed, anything really): never trusted as HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
