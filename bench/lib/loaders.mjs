// The two load generators: autocannon (in this process) and wrk (a child process, C, one thread).
// Both run against one URL with either one repeated token or a list of tokens cycled per request,
// and both return the same sample shape. Reporting both matters: a generator running near its own
// ceiling compresses the ratios between fast targets.
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { LOADER_CPU } from './procs.mjs';

export const LOADERS = ['autocannon', 'wrk'];

// One Lua script for both workloads: a single token goes into the fixed headers, several are
// cycled per request. `done` prints the summary as one JSON line that the harness parses.
const WRK_SCRIPT = `
local tokens = {}
local file = os.getenv("BENCH_TOKENS_FILE")
if file ~= nil and file ~= "" then
  for line in io.lines(file) do
    if line ~= "" then tokens[#tokens + 1] = line end
  end
end
if #tokens == 1 then
  wrk.headers["Authorization"] = "Bearer " .. tokens[1]
elseif #tokens > 1 then
  local i = 0
  local n = #tokens
  request = function()
    i = i % n + 1
    return wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. tokens[i] })
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

/** True when wrk runs; otherwise tries `apt-get install -y wrk` once (saying so) and checks again. */
export function ensureWrk(log) {
  if (spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined) return true;
  log('wrk is not installed: running `apt-get install -y wrk`');
  const result = spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    log(`apt-get install wrk failed (${(result.stderr || result.error?.message || '').trim().split('\n').pop()}): wrk rows are skipped`);
    return false;
  }
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** Writes the wrk script and one file per token list into `dir`; returns their paths. */
export function prepareWrkFiles(dir, tokenLists) {
  const script = join(dir, 'bench.lua');
  writeFileSync(script, WRK_SCRIPT);
  const files = new Map();
  for (const [name, tokens] of tokenLists) {
    const file = join(dir, `tokens-${name}.txt`);
    writeFileSync(file, `${tokens.join('\n')}\n`);
    files.set(name, file);
  }
  return { script, files };
}

async function runAutocannon({ url, connections, seconds, tokens }) {
  let headers = {};
  let requests;
  if (tokens.length === 1) headers = { authorization: `Bearer ${tokens[0]}` };
  else if (tokens.length > 1) {
    let i = 0;
    const bearer = tokens.map((t) => `Bearer ${t}`);
    requests = [{ setupRequest: (req) => ({ ...req, headers: { authorization: bearer[(i = (i + 1) % bearer.length)] } }) }];
  }
  const result = await autocannon({ url, connections, duration: seconds, headers, requests });
  return {
    requests: result['2xx'],
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function runWrk({ url, connections, seconds, tokensFile, script, pin }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url];
  const [command, argv] = pin ? ['taskset', ['-c', String(LOADER_CPU), 'wrk', ...args]] : ['wrk', args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env: { ...process.env, BENCH_TOKENS_FILE: tokensFile ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (${code}): ${out.trim().slice(-300)}`));
      const s = JSON.parse(line.slice('WRK_JSON '.length));
      const socketErrors = s.connect + s.read + s.write;
      resolve({
        requests: s.requests - s.status,
        seconds: s.durationUs / 1e6,
        p50Ms: s.p50Us / 1000,
        p99Ms: s.p99Us / 1000,
        non2xx: s.status,
        errors: socketErrors,
        timeouts: s.timeout,
      });
    });
  });
}

/** One measurement with `loader`; resolves with requests answered 2xx, seconds, latencies, failures. */
export function runLoad(loader, options) {
  return loader === 'wrk' ? runWrk(options) : runAutocannon(options);
}
