// Command-line flags and BENCH_* environment variables of `run.mjs` (flags win).
export const ALGORITHMS = ['HS256', 'RS256', 'ES256'];
export const WORKLOADS = ['repeated', 'distinct'];
const LOADER_NAMES = ['autocannon', 'wrk'];
/** Twice m8's default verification cache (10 000 tokens): every request misses it. */
export const DEFAULT_DISTINCT_TOKENS = 20_000;

/** A mistake in the command line: reported as one line, without a stack. */
export function usageError(message) {
  return Object.assign(new Error(message), { usage: true });
}

export const USAGE = `Usage: node run.mjs [options]   (or: npm run bench -- [options] at the repo root)

  --rounds N        measured rounds, every series once per round, interleaved (default 3; BENCH_ROUNDS)
  --duration S      seconds per measurement (default 4; BENCH_DURATION)
  --warmup S        seconds of warm-up per series before round 1 (default 2; BENCH_WARMUP)
  --connections N   concurrent connections (default 50; BENCH_CONNECTIONS)
  --quick           2 rounds x 2 s, 1 s warm-up (BENCH_QUICK=1)
  --only LIST       targets or cases, comma-separated: koa-jose, fastify-jwt, rc-koa-jose, m8, node-floor,
                    or one m8 case: m8-stateless, m8-stateful, m8-stateful-cache, m8-log-info, m8-health
                    (BENCH_ONLY)
  --alg LIST        HS256,RS256,ES256 (default all; BENCH_ALG)
  --loaders LIST    autocannon,wrk (default both; wrk is installed with apt-get when missing; BENCH_LOADERS)
  --workloads LIST  repeated (one token for every request), distinct (N tokens cycled) (default both;
                    BENCH_WORKLOADS)
  --tokens N        distinct tokens signed up front (default 20000, twice m8's verification cache;
                    BENCH_TOKENS)
  --seed N          seed of the per-round shuffled case order (default random; BENCH_SEED)
  --profile         start every server with --cpu-prof into bench/results/profiles (BENCH_PROFILE=1)
  --no-pin          do not pin server and load generator to separate cores (BENCH_NO_PIN=1)
  --help`;

function list(value) {
  return String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positive(name, value, { integer = false } = {}) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw usageError(`${name} must be a positive ${integer ? 'integer' : 'number'} (got "${value}")`);
  return n;
}

/** Parses argv (after the script) and env into the run's options; throws on anything unknown. */
export function parseOptions(argv, env = process.env) {
  const raw = {
    rounds: env.BENCH_ROUNDS,
    duration: env.BENCH_DURATION,
    warmup: env.BENCH_WARMUP,
    connections: env.BENCH_CONNECTIONS,
    seed: env.BENCH_SEED,
    quick: env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true',
    only: env.BENCH_ONLY,
    alg: env.BENCH_ALG,
    loaders: env.BENCH_LOADERS,
    workloads: env.BENCH_WORKLOADS,
    tokens: env.BENCH_TOKENS,
    profile: env.BENCH_PROFILE === '1' || env.BENCH_PROFILE === 'true',
    pin: !(env.BENCH_NO_PIN === '1' || env.BENCH_NO_PIN === 'true'),
    help: false,
  };
  const args = argv.filter((a) => a !== '--'); // `pnpm start -- --quick` passes the separator through
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw usageError(`${flag} needs a value`);
      return args[++i];
    };
    switch (flag) {
      case '--rounds': raw.rounds = value(); break;
      case '--duration': raw.duration = value(); break;
      case '--warmup': raw.warmup = value(); break;
      case '--connections': raw.connections = value(); break;
      case '--seed': raw.seed = value(); break;
      case '--only': raw.only = value(); break;
      case '--alg': case '--algs': raw.alg = value(); break;
      case '--loaders': raw.loaders = value(); break;
      case '--workloads': raw.workloads = value(); break;
      case '--tokens': raw.tokens = value(); break;
      case '--quick': raw.quick = true; break;
      case '--profile': raw.profile = true; break;
      case '--no-pin': raw.pin = false; break;
      case '--help': case '-h': raw.help = true; break;
      default: throw usageError(`unknown option "${args[i]}"\n\n${USAGE}`);
    }
  }
  const quick = raw.quick;
  const options = {
    rounds: positive('--rounds', raw.rounds ?? (quick ? 2 : 3), { integer: true }),
    duration: positive('--duration', raw.duration ?? (quick ? 2 : 4)),
    warmup: positive('--warmup', raw.warmup ?? (quick ? 1 : 2)),
    connections: positive('--connections', raw.connections ?? 50, { integer: true }),
    seed: raw.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : positive('--seed', raw.seed, { integer: true }),
    only: raw.only ? list(raw.only) : undefined,
    algorithms: raw.alg ? list(raw.alg).map((a) => a.toUpperCase()) : [...ALGORITHMS],
    loaders: raw.loaders ? list(raw.loaders) : [...LOADER_NAMES],
    workloads: raw.workloads ? list(raw.workloads) : [...WORKLOADS],
    distinctTokens: positive('--tokens', raw.tokens ?? DEFAULT_DISTINCT_TOKENS, { integer: true }),
    profile: raw.profile,
    pin: raw.pin,
    quick,
    help: raw.help,
  };
  for (const alg of options.algorithms) if (!ALGORITHMS.includes(alg)) throw usageError(`--alg: unknown algorithm "${alg}" (use ${ALGORITHMS.join(', ')})`);
  for (const l of options.loaders) if (!LOADER_NAMES.includes(l)) throw usageError(`--loaders: unknown "${l}" (use ${LOADER_NAMES.join(', ')})`);
  for (const w of options.workloads) if (!WORKLOADS.includes(w)) throw usageError(`--workloads: unknown "${w}" (use ${WORKLOADS.join(', ')})`);
  return options;
}
