/**
 * The Swagger UI and ReDoc files, read once from this package's own assets/ directory (copied from
 * swagger-ui-dist and redoc at build time by scripts/copy-assets.mjs, licences included, so users
 * install neither package nor their install scripts). Nothing is fetched from a CDN: the pages work
 * on a network with no internet.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenApiAssetError } from './errors';

/** The raw files a page needs, by the name they are served under. */
export type AssetFiles = Readonly<Record<string, { readonly body: Buffer; readonly type: string }>>;

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const PNG = 'image/png';

/** `<package>/assets`: the same path from src/ (tests) and dist/ (the published build). */
const ASSETS = join(__dirname, '..', 'assets');

/** ReDoc's sidebar footer loads its logo from cdn.redoc.ly; a transparent local image replaces it. */
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const BLANK_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";

/** Swagger UI's bundle, stylesheet, OAuth2 redirect script and favicons (swagger-ui-dist). */
export function swaggerUiFiles(): AssetFiles {
  const dir = join(ASSETS, 'swagger-ui');
  return {
    'swagger-ui-bundle.js': { body: withoutSourceMap(read(join(dir, 'swagger-ui-bundle.js'))), type: JS },
    'swagger-ui.css': { body: withoutSourceMap(read(join(dir, 'swagger-ui.css'))), type: CSS },
    'index.css': { body: read(join(dir, 'index.css')), type: CSS },
    'oauth2-redirect.js': { body: read(join(dir, 'oauth2-redirect.js')), type: JS },
    'favicon-32x32.png': { body: read(join(dir, 'favicon-32x32.png')), type: PNG },
    'favicon-16x16.png': { body: read(join(dir, 'favicon-16x16.png')), type: PNG },
  };
}

/** ReDoc's standalone bundle (the only redoc file used), with its one external URL replaced. */
export function redocFiles(): AssetFiles {
  const bundle = withoutSourceMap(read(join(ASSETS, 'redoc', 'redoc.standalone.js')));
  return {
    'redoc.standalone.js': { body: replaceAll(bundle, REDOC_CDN_LOGO, BLANK_SVG), type: JS },
    'favicon-32x32.png': { body: read(join(ASSETS, 'swagger-ui', 'favicon-32x32.png')), type: PNG },
  };
}

/** Byte-level replace: no 1 MB string round trip at start-up. */
function replaceAll(bytes: Buffer, search: string, replacement: string): Buffer {
  const needle = Buffer.from(search, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, from)) {
    parts.push(bytes.subarray(from, at), Buffer.from(replacement, 'utf8'));
    from = at + needle.length;
  }
  return from === 0 ? bytes : Buffer.concat([...parts, bytes.subarray(from)]);
}

/** The page must not point browsers at `.map` files it does not serve. */
function withoutSourceMap(bytes: Buffer): Buffer {
  const tail = bytes.subarray(Math.max(0, bytes.length - 300)).toString('latin1');
  const at = tail.search(/\n?(\/\/# sourceMappingURL=[^\n]*|\/\*# sourceMappingURL=[^*]*\*\/)\s*$/);
  return at === -1 ? bytes : bytes.subarray(0, bytes.length - tail.length + at);
}

function read(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new OpenApiAssetError(file, error);
  }
}
