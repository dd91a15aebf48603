// Copies the Swagger UI and ReDoc files the docs pages serve into assets/, with their licences.
// The published package then depends on neither swagger-ui-dist (whose dependency @scarf/scarf runs
// an install-time telemetry script) nor redoc (whose dependency tree pulls React, styled-components
// and core-js's postinstall): a user's install runs no third-party script. Run by the workspace
// setup (scripts/setup.mjs) and by `prepack`, so a tarball always carries the files.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(packageRoot, 'package.json'));

/** Source package → the files copied from it (relative to its root), licences included. */
const SOURCES = {
  'swagger-ui': {
    from: dirname(require.resolve('swagger-ui-dist/package.json')),
    files: ['swagger-ui-bundle.js', 'swagger-ui.css', 'index.css', 'oauth2-redirect.js', 'favicon-32x32.png', 'favicon-16x16.png', 'LICENSE', 'NOTICE', 'swagger-ui-bundle.js.LICENSE.txt'],
  },
  redoc: {
    from: dirname(require.resolve('redoc/package.json')),
    files: ['bundles/redoc.standalone.js', 'bundles/redoc.standalone.js.LICENSE.txt', 'LICENSE'],
  },
};

for (const [name, { from, files }] of Object.entries(SOURCES)) {
  let copied = 0;
  const target = join(packageRoot, 'assets', name);
  mkdirSync(target, { recursive: true });
  const version = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')).version;
  for (const file of files) {
    const source = join(from, file);
    const destination = join(target, file.split('/').pop());
    if (upToDate(source, destination)) continue;
    copyFileSync(source, destination);
    copied += 1;
  }
  if (copied > 0) console.error(`openapi assets: ${name} ${version} copied into assets/${name}/`);
}

function upToDate(source, destination) {
  try {
    const [a, b] = [statSync(source), statSync(destination)];
    return a.size === b.size && a.mtimeMs <= b.mtimeMs;
  } catch {
    return false;
  }
}
