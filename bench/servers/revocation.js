// The issuer's jti-status endpoint, served locally for m8's stateful mode (docs/interop.md §4):
// `POST /jti-status` with `X-Internal-Token` → `{"active": true}`. Counts calls, so the report can
// show how many requests actually reached it (GET /count).
'use strict';
const http = require('node:http');

const secret = process.env.PRIVATE_API_SECRET || '';
const ACTIVE = JSON.stringify({ active: true });
let calls = 0;

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ calls }));
    return;
  }
  if (req.method !== 'POST' || req.url !== '/jti-status') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    calls += 1;
    if (req.headers['x-internal-token'] !== secret) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"detail":"Forbidden"}');
      return;
    }
    let jti;
    try {
      jti = JSON.parse(body).jti;
    } catch {
      jti = undefined;
    }
    if (typeof jti !== 'string') {
      res.writeHead(422, { 'content-type': 'application/json' }).end('{"detail":"jti required"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(ACTIVE);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1');
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
