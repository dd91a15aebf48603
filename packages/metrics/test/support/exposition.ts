/**
 * A strict parser of the Prometheus text exposition format (0.0.4), so tests assert on parsed
 * samples rather than on substrings. It throws on any line it does not understand.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  /** `# TYPE` of each metric family. */
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('# HELP ')) continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      if (!name || !type) throw new Error(`bad TYPE line: ${line}`);
      types.set(name, type);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`bad sample line: ${line}`);
    samples.push({ name: match[1]!, labels: parseLabels(match[2]), value: parseValue(match[3]!) });
  }
  return { types, samples };
}

function parseLabels(block: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (block === undefined) return labels;
  const body = block.slice(1, -1);
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < body.length) {
    const start = LABEL.lastIndex;
    const match = LABEL.exec(body);
    if (!match || match.index !== start) throw new Error(`bad labels: ${block}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN' || text === 'Nan') return NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`bad value: ${text}`);
  return value;
}

/** The value of the sample with exactly these labels, or undefined. */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  const found = exposition.samples.find(
    (s) => s.name === name && Object.keys(s.labels).length === wanted.length && wanted.every(([k, v]) => s.labels[k] === v),
  );
  return found?.value;
}

/** Names of all metric families present (from `# TYPE`). */
export function families(exposition: Exposition): string[] {
  return [...exposition.types.keys()].sort();
}

/** One line per series (name + sorted labels), to compare series sets. */
export function seriesKeys(exposition: Exposition): Set<string> {
  return new Set(
    exposition.samples.map((s) => `${s.name}{${Object.entries(s.labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`),
  );
}
