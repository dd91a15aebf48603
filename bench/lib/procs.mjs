// Child processes: spawn a server pinned to the server core, wait until it answers 200, read its
// RSS, stop it by its own pid. Also pins this process (the load generator) to the other core.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { request } from './http.mjs';

export const SERVER_CPU = 0;
export const LOADER_CPU = 1;

/** True when `taskset` exists and there are at least two cores to split. */
export function pinningAvailable() {
  if (process.platform !== 'linux' || availableParallelism() < 2) return false;
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Moves every thread of this process (autocannon runs here) to the load generator's core. */
export function pinSelf() {
  const result = spawnSync('taskset', ['-a', '-cp', String(LOADER_CPU), String(process.pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset failed: ${result.stderr || result.status}`);
}

/** Resident set size of a live process and its descendants (cluster workers), in MiB (Linux /proc; undefined elsewhere). */
export function rssMiB(pid) {
  let total;
  for (const p of [pid, ...childPids(pid).flatMap((c) => [c, ...childPids(c)])]) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (match) total = (total ?? 0) + Number(match[1]) / 1024;
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/** Starts `node [nodeArgs] file` with exactly `env` (nothing inherited but PATH/HOME), optionally pinned. */
export function startProcess({ file, env, cwd, pin, nodeArgs = [] }) {
  const node = [...nodeArgs, file];
  const [command, args] = pin ? ['taskset', ['-c', String(SERVER_CPU), process.execPath, ...node]] : [process.execPath, node];
  const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
  // stdout (JSON logs, access logs at LOG_LEVEL=info) goes to /dev/null; stderr is kept for reports.
  const child = spawn(command, args, { cwd, env: { ...baseEnv, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exitInfo;
  exited.then((info) => (exitInfo = info));
  return {
    child,
    pid: child.pid,
    exited,
    get alive() {
      return exitInfo === undefined;
    },
    get stderr() {
      return stderr.trim();
    },
    get exitInfo() {
      return exitInfo;
    },
  };
}

/** Polls `url` until it answers 200; resolves with the milliseconds since `startedAt` (performance.now()). */
export async function waitForOk(proc, url, headers, startedAt, timeoutMs = 30_000) {
  const deadline = startedAt + timeoutMs;
  while (performance.now() < deadline) {
    if (!proc.alive) throw new Error(`exited (${proc.exitInfo.code ?? proc.exitInfo.signal}) before answering: ${lastLines(proc.stderr)}`);
    try {
      const res = await request(url, { headers, timeoutMs: 1000 });
      if (res.status === 200) return performance.now() - startedAt;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms${proc.stderr ? `: ${lastLines(proc.stderr)}` : ''}`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(proc, graceMs = 10_000) {
  if (!proc.alive) return proc.exitInfo;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.alive && proc.child.kill('SIGKILL'), graceMs);
  const info = await proc.exited;
  clearTimeout(timer);
  return info;
}

export function lastLines(text, n = 6) {
  return text.split('\n').slice(-n).join(' | ');
}

function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds (user + system) used so far by `pid` and every live descendant (cluster workers),
 * from /proc/<pid>/stat; undefined off Linux. Clock ticks are 100 per second on Linux.
 */
export function cpuSeconds(pid) {
  let total;
  for (const p of [pid, ...childPids(pid).flatMap((c) => [c, ...childPids(c)])]) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total = (total ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime
    } catch {
      // exited between listing and reading
    }
  }
  return total;
}
