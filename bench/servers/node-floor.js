// The ceiling, not a competitor: bare node:http answering the items JSON with NO authentication.
// It shows how many requests/s this machine's load generator and loopback can drive at all; a
// target near this number is limited by the harness, not by its own code.
'use strict';
const http = require('node:http');
const { ITEMS, ROUTE, NOT_FOUND } = require('./lib/common');

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === ROUTE) {
    const body = JSON.stringify(ITEMS);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' }).end(NOT_FOUND);
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1');
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
