// `npm run coverage`: the whole suite with V8 coverage, child processes included, one table per package, and
// a failure under the floors below (TESTING.md). In-process code is measured by @vitest/coverage-v8; the
// processes tests start (the example as `npm start` runs it, the m8-prestart bin) write raw V8 coverage to
// M8_CHILD_COVERAGE, which is mapped back to src/ through dist/'s source maps (v8-to-istanbul) and merged.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import libCoverage from 'istanbul-lib-coverage';
import v8ToIstanbul from 'v8-to-istanbul';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'coverage');
const children = join(out, 'children');

/**
 * Floors, in percent: the figures measured when they were introduced (TESTING.md) less half a point for the
 * timing-dependent paths, rounded down; overall never under 95 % of lines and 85 % of branches. Branch figures
 * are in-process only (children add lines). Raise them when coverage rises.
 */
// Core, db, metrics and the total's branch floors were reset in the third round (TESTING.md): the cluster code
// added in the second runs only in child processes, whose branches are not counted.
export const FLOORS = {
  total: { lines: 97, branches: 86 },
  'packages/auth': { lines: 98, branches: 92 },
  'packages/core': { lines: 96, branches: 82 },
  'packages/db': { lines: 94, branches: 85 },
  'packages/health': { lines: 99, branches: 93 },
  'packages/metrics': { lines: 99, branches: 92 },
  'packages/openapi': { lines: 97, branches: 92 },
  'packages/testing': { lines: 97, branches: 89 },
  'examples/items-service': { lines: 89, branches: 32 },
};

function runSuite(extraArgs) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(children, { recursive: true });
  // Through pnpm exec, like `npm test`, so the suite runs in the same environment (PATH, NODE_PATH).
  const args = [
    join(root, 'scripts/pnpm.mjs'),
    'exec',
    'vitest',
    'run',
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.reporter=json',
    '--coverage.reportOnFailure',
    `--coverage.reportsDirectory=${join(out, 'vitest')}`,
    '--coverage.include=packages/*/src/**/*.ts',
    '--coverage.include=examples/*/src/**/*.ts',
    ...extraArgs,
  ];
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, M8_CHILD_COVERAGE: children } });
  return run.status ?? 1;
}

const isOurs = (url) => /\/(packages|examples)\/[^/]+\/dist\/.+\.js$/.test(url) && !url.includes('/node_modules/');

/**
 * The children's coverage, per source file: covered line numbers and covered branch arms (by start position).
 * Kept apart from vitest's data: the two instrumenters number statements and branches differently, so istanbul's
 * merge (by id) would mix them up; they agree on positions in the source.
 */
async function childCoverage() {
  const byFile = new Map();
  let scripts = 0;
  for (const name of existsSync(children) ? readdirSync(children) : []) {
    const raw = JSON.parse(readFileSync(join(children, name), 'utf8'));
    for (const script of raw.result) {
      if (!script.url.startsWith('file://') || !isOurs(script.url)) continue;
      const file = withSourceMap(fileURLToPath(script.url));
      if (file === undefined) continue;
      const converter = v8ToIstanbul(file, 0);
      await converter.load();
      converter.applyCoverage(script.functions);
      for (const [path, data] of Object.entries(converter.toIstanbul())) {
        if (!path.endsWith('.ts') || !existsSync(path)) continue; // only what maps back to a source file
        const seen = byFile.get(path) ?? { lines: new Set(), arms: new Set() };
        const coverage = libCoverage.createFileCoverage(data);
        for (const [line, hits] of Object.entries(coverage.getLineCoverage())) if (hits > 0) seen.lines.add(Number(line));
        for (const [id, branch] of Object.entries(coverage.branchMap)) {
          branch.locations.forEach((loc, arm) => {
            if (coverage.b[id][arm] > 0) seen.arms.add(`${loc.start.line}:${loc.start.column}`);
          });
        }
        byFile.set(path, seen);
      }
      scripts += 1;
    }
  }
  return { byFile, scripts };
}

/**
 * The packages build without source maps (their tarballs ship none, and a `sourceMappingURL` to a missing
 * file makes bundlers warn), so a child's coverage of `packages/x/dist/a.js` is mapped through
 * `packages/x/.coverage-dist/a.js`: the same project emitted again with source maps, once per package per
 * run. tsc's output is the same but for the trailing `sourceMappingURL` line, so V8's byte offsets hold.
 */
const mappedCopies = new Map();
function withSourceMap(file) {
  if (existsSync(`${file}.map`)) return file;
  const match = /^(.*[\\/](?:packages|examples)[\\/][^\\/]+)[\\/]dist[\\/](.+)$/.exec(file);
  if (match === null) return undefined;
  const [, project, inDist] = match;
  if (!mappedCopies.has(project)) {
    const copy = join(project, '.coverage-dist');
    rmSync(copy, { recursive: true, force: true });
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(project, 'tsconfig.json'), '--outDir', copy, '--sourceMap', '--composite', 'false', '--incremental', 'false', '--declaration', 'false', '--declarationMap', 'false'],
      { cwd: root, encoding: 'utf8' },
    );
    if (tsc.status !== 0) console.error(`coverage: ${relative(root, project)} could not be emitted with source maps; its children's coverage is left out:\n${tsc.stdout}${tsc.stderr}`);
    mappedCopies.set(project, tsc.status === 0 ? copy : undefined);
  }
  const copy = mappedCopies.get(project);
  const mapped = copy === undefined ? undefined : join(copy, inDist);
  return mapped !== undefined && existsSync(`${mapped}.map`) ? mapped : undefined;
}

/** The mapped copies go once the children's coverage is read. */
function removeMappedCopies() {
  for (const copy of mappedCopies.values()) if (copy !== undefined) rmSync(copy, { recursive: true, force: true });
}

/** Lines and branch arms of one file, covered in-process or by a child. */
function summarize(fileCoverage, child) {
  const lines = Object.entries(fileCoverage.getLineCoverage());
  const coveredLines = lines.filter(([line, hits]) => hits > 0 || child?.lines.has(Number(line))).length;
  let arms = 0;
  let coveredArms = 0;
  for (const [id, branch] of Object.entries(fileCoverage.branchMap)) {
    branch.locations.forEach((loc, arm) => {
      arms += 1;
      if (fileCoverage.b[id][arm] > 0 || child?.arms.has(`${loc.start.line}:${loc.start.column}`)) coveredArms += 1;
    });
  }
  return { lines: { covered: coveredLines, total: lines.length }, branches: { covered: coveredArms, total: arms } };
}

function packageOf(path) {
  const rel = relative(root, path);
  const match = /^(packages|examples)\/[^/]+/.exec(rel);
  return match ? match[0] : 'other';
}

function pct(covered, total) {
  return total === 0 ? 100 : (100 * covered) / total;
}

function table(map, children) {
  const rows = new Map();
  const totals = { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
  for (const file of map.files()) {
    const summary = summarize(map.fileCoverageFor(file), children.get(file));
    const key = packageOf(file);
    const row = rows.get(key) ?? { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
    for (const kind of ['lines', 'branches']) {
      row[kind].covered += summary[kind].covered;
      row[kind].total += summary[kind].total;
      totals[kind].covered += summary[kind].covered;
      totals[kind].total += summary[kind].total;
    }
    rows.set(key, row);
  }
  return { rows: [...rows.entries()].sort(([a], [b]) => a.localeCompare(b)), totals };
}

function report({ rows, totals }) {
  const failures = [];
  const line = (name, row) => {
    const lines = pct(row.lines.covered, row.lines.total);
    const branches = pct(row.branches.covered, row.branches.total);
    const floor = FLOORS[name];
    const flag = (value, min) => (min !== undefined && value < min ? ` < ${min} !` : '');
    if (floor && lines < floor.lines) failures.push(`${name}: lines ${lines.toFixed(2)} % < ${floor.lines} %`);
    if (floor && branches < floor.branches) failures.push(`${name}: branches ${branches.toFixed(2)} % < ${floor.branches} %`);
    return `| ${name.padEnd(24)} | ${`${lines.toFixed(2)} %${flag(lines, floor?.lines)}`.padStart(14)} | ${`${branches.toFixed(2)} %${flag(branches, floor?.branches)}`.padStart(14)} |`;
  };
  const text = [
    '| package                  |          lines |       branches |',
    '|--------------------------|----------------|----------------|',
    ...rows.map(([name, row]) => line(name, row)),
    line('total', totals),
  ].join('\n');
  return { text, failures };
}

// `--report-only`: the table and floors from the data of the last run, without running the suite again.
const reportOnly = process.argv.includes('--report-only');
const suiteStatus = reportOnly ? 0 : runSuite(process.argv.slice(2));
const vitestJson = join(out, 'vitest', 'coverage-final.json');
if (!existsSync(vitestJson)) {
  console.error('coverage: vitest wrote no coverage-final.json');
  process.exit(suiteStatus || 1);
}
const map = libCoverage.createCoverageMap(JSON.parse(readFileSync(vitestJson, 'utf8')));
const { byFile, scripts } = await childCoverage();
removeMappedCopies();
const { text, failures } = report(table(map, byFile));
console.log(`\ncoverage (in-process, plus ${scripts} compiled scripts run by child processes):\n${text}\n`);
console.log(`in-process data: ${relative(root, vitestJson)} (${pathToFileURL(out).href}); children's raw V8 data: ${relative(root, children)}`);
if (suiteStatus !== 0) {
  console.error(`coverage: the test run failed (exit ${suiteStatus})`);
  process.exit(suiteStatus);
}
if (failures.length > 0) {
  console.error(`coverage: under the floor (scripts/coverage.mjs FLOORS):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
