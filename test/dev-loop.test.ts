/**
 * `npm run dev` (scripts/dev.mjs) on a small service of its own, in a scratch directory: an edit restarts
 * the service with the new code, the fast emit keeps the decorator metadata tsyringe and
 * routing-controllers read, a type error is reported without stopping the loop, and a signal stops
 * every watcher. Waits for the lines the loop prints, never for a fixed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
// Inside the repository (gitignored), so the service resolves the workspace's typescript and reflect-metadata.
let dir: string;
let dev: ChildProcess;
let output = '';
let waiters: Array<{ pattern: RegExp; resolve: (match: RegExpExecArray) => void }> = [];

function service(generation: number, extra = ''): string {
  return `import 'reflect-metadata';
const inject = (): ClassDecorator => () => undefined;
class Clock {}
@inject()
class Greeter { constructor(readonly clock: Clock) {} }
const params = (Reflect.getMetadata('design:paramtypes', Greeter) as Array<{ name: string }>).map((type) => type.name);
console.log(\`generation ${generation} pid \${process.pid} paramtypes \${params.join(',')}\`);
setInterval(() => undefined, 60_000); // a service: runs until stopped
${extra}`;
}

/**
 * Resolves with the first output line (from now on) that matches; rejects with the output so far if
 * none does within 60 s (a bound for a stuck loop, not a timing assertion).
 */
function nextLine(pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within 60 s; output so far:\n${output}`)), 60_000);
    waiters.push({
      pattern,
      resolve: (match) => {
        clearTimeout(timer);
        resolve(match);
      },
    });
  });
}

function onLine(line: string): void {
  output += `${line}\n`;
  for (const waiter of [...waiters]) {
    const match = waiter.pattern.exec(line);
    if (match) {
      waiters = waiters.filter((other) => other !== waiter);
      waiter.resolve(match);
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(root, '.dev-loop-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'dev-loop-service', private: true, type: 'commonjs' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: '../tsconfig.base.json', compilerOptions: { outDir: 'dist', rootDir: 'src', types: ['node'] }, include: ['src'] }),
  );
  writeFileSync(join(dir, 'src', 'main.ts'), service(1));
});

afterAll(() => {
  if (dev?.exitCode === null) dev.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run dev (scripts/dev.mjs)', () => {
  it('restarts on an edit with the new code, keeps decorator metadata, reports type errors, stops on a signal', async () => {
    const first = nextLine(/generation 1 pid (\d+) paramtypes (\S*)/);
    dev = spawn(process.execPath, [join(root, 'scripts', 'dev.mjs'), '--dir', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: dev.stdout! }).on('line', onLine);
    createInterface({ input: dev.stderr! }).on('line', onLine);
    const exited = new Promise<number | null>((resolve) => dev.once('exit', resolve));
    void exited.then(() => onLine('dev exited')); // a premature exit fails the waits below with the output

    const ready = nextLine(/^dev: ready, watching/);
    const [, firstPid, params] = await Promise.race([first, nextLine(/dev exited/)]);
    expect(params, output).toBe('Clock'); // --noCheck emit still writes design:paramtypes
    // Edits wait for "ready": one made during a watcher's first build may go unseen (tsc reads, then watches).
    await Promise.race([ready, nextLine(/dev exited/)]);

    const second = nextLine(/generation 2 pid (\d+)/);
    writeFileSync(join(dir, 'src', 'main.ts'), service(2));
    const [, secondPid] = await second;
    expect(secondPid).not.toBe(firstPid);
    expect(isRunning(Number(firstPid))).toBe(false);

    // A type error: reported by the types watcher; the emit still runs, so the service restarts.
    const reported = nextLine(/dev: types: (src[\\/]main\.ts\(\d+,\d+\): error TS2322.*)/);
    const third = nextLine(/generation 3 pid (\d+)/);
    writeFileSync(join(dir, 'src', 'main.ts'), service(3, "export const count: number = 'three';\n"));
    const [[, message], [, thirdPid]] = await Promise.all([reported, third]);
    expect(message).toContain("Type 'string' is not assignable to type 'number'");
    const cleared = nextLine(/dev: types: no errors/);
    const fourth = nextLine(/generation 4 pid (\d+)/);
    writeFileSync(join(dir, 'src', 'main.ts'), service(4));
    const [cleanLine, [, fourthPid]] = await Promise.all([cleared, fourth]);
    expect(cleanLine[0]).toBe('dev: types: no errors');
    expect(isRunning(Number(thirdPid))).toBe(false);

    dev.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(isRunning(Number(fourthPid))).toBe(false);
  }, 240_000);
});
