// Where two CPU profiles differ, per request: self time of every function in µs per request for
// profile A and profile B, sorted by B − A. For "what does a cache miss cost more than a hit" or "what
// does m8 spend that Fastify does not". Profiles come from `node run.mjs --profile`, one case each;
// a profile covers warm-up and start-up too, so give the requests of warm-up + measurement
// (req/s × seconds; start-up shows as module compilation, e.g. `wrapSafe`, and stays small).
// Usage: node profile-diff.mjs A.cpuprofile REQUESTS_A B.cpuprofile REQUESTS_B [--top 30]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 30;
const [fileA, requestsA, fileB, requestsB] = args.filter((_, i) => topIndex < 0 || (i !== topIndex && i !== topIndex + 1));
if (!fileB || !(Number(requestsA) > 0) || !(Number(requestsB) > 0)) {
  console.error('usage: node profile-diff.mjs A.cpuprofile REQUESTS_A B.cpuprofile REQUESTS_B [--top N]');
  process.exit(1);
}

function label(frame) {
  const url = frame.url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '')
    .replace(/.*\/packages\/([^/]+)\//, '@m8/$1/');
  return `${frame.functionName || '(anonymous)'} ${url ? `${url}:${frame.lineNumber + 1}` : '(native)'}`;
}

/** Self time per function label, µs per request; idle time left out. */
function perRequest(file, requests) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = byId.get(profile.samples[i]).callFrame;
    if (frame.functionName === '(idle)') continue;
    const key = label(frame);
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / requests);
  }
  return self;
}

const a = perRequest(fileA, Number(requestsA));
const b = perRequest(fileB, Number(requestsB));
const sum = (m) => [...m.values()].reduce((x, y) => x + y, 0);
const rows = [...new Set([...a.keys(), ...b.keys()])].map((key) => [key, a.get(key) ?? 0, b.get(key) ?? 0]).sort((x, y) => y[2] - y[1] - (x[2] - x[1]));
const fmt = (v) => v.toFixed(2).padStart(7);
console.log(`busy CPU per request: A ${sum(a).toFixed(1)} µs, B ${sum(b).toFixed(1)} µs\n`);
console.log('  B − A       A       B   function');
for (const [key, x, y] of rows.slice(0, top)) console.log(`${fmt(y - x)} ${fmt(x)} ${fmt(y)}   ${key}`);
// The other end: what A spends more than B.
if (rows.length > top) {
  console.log('   ...');
  for (const [key, x, y] of rows.slice(Math.max(top, rows.length - 10))) console.log(`${fmt(y - x)} ${fmt(x)} ${fmt(y)}   ${key}`);
}
