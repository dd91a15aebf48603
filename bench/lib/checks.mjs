// Correctness before load: a target that does not answer like m8 is reported broken, not measured.
import { createRequire } from 'node:module';
import { request } from './http.mjs';

const require = createRequire(import.meta.url);
const { ITEMS } = require('../servers/lib/common.js');
const EXPECTED_ITEMS = JSON.stringify(ITEMS);

function json(body) {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

async function expect(problems, what, url, headers, status, check) {
  let res;
  try {
    res = await request(url, { headers });
  } catch (error) {
    problems.push(`${what}: ${error.message}`);
    return;
  }
  if (res.status !== status) {
    problems.push(`${what}: expected ${status}, got ${res.status} ${res.body.slice(0, 120)}`);
    return;
  }
  const problem = check(json(res.body), res);
  if (problem) problems.push(`${what}: ${problem}`);
}

/** JSON with every object's keys sorted: servers may order an entity's fields differently. */
function canonical(value) {
  return JSON.stringify(value, (key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

const hasDetail = (body) => (body && typeof body.detail === 'string' ? undefined : 'no JSON {"detail"} body');

/** Problems found (empty when the target behaves): valid → 200 + items, none → 401, tampered → 401. */
export async function checkCase(kase, baseUrl, credentials) {
  const url = baseUrl + kase.path;
  const problems = [];
  if (kase.kind === 'health') {
    await expect(problems, 'health', url, {}, 200, (body) => (body && typeof body.status === 'string' ? undefined : 'no {"status"} body'));
    return problems;
  }
  if (kase.kind === 'floor') {
    await expect(problems, 'items', url, {}, 200, (body) => (JSON.stringify(body) === EXPECTED_ITEMS ? undefined : 'unexpected body'));
    return problems;
  }
  const expected = kase.expected === undefined ? EXPECTED_ITEMS : canonical(kase.expected);
  await expect(problems, 'valid token', url, { authorization: `Bearer ${credentials.token}` }, 200, (body) =>
    (kase.expected === undefined ? JSON.stringify(body) : canonical(body)) === expected ? undefined : `unexpected body ${JSON.stringify(body).slice(0, 200)}`,
  );
  await expect(problems, 'no token', url, {}, 401, hasDetail);
  await expect(problems, 'tampered token', url, { authorization: `Bearer ${credentials.tampered}` }, 401, hasDetail);
  await expect(problems, 'malformed token', url, { authorization: 'Bearer not.a.jwt' }, 401, hasDetail);
  return problems;
}
