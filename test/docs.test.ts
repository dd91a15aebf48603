/**
 * The READMEs are executable: every TypeScript block is type-checked, every block
 * marked `<!-- doc-test: run -->` is executed, every `.env` block must load as valid settings, and
 * every npm command named in a shell block must exist. A documented example that does not work
 * fails CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { ConsumerServiceSettings } from '@m8/core';

const root = join(__dirname, '..');

interface Block {
  readonly file: string;
  readonly index: number;
  readonly lang: string;
  readonly mode: string | undefined;
  readonly code: string;
  readonly slug: string;
}

function readmes(): string[] {
  const found = ['README.md', 'bench/README.md'];
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, dir))) found.push(`${dir}/${name}/README.md`);
  }
  return found.filter((file) => existsSync(join(root, file)));
}

function blocksOf(file: string): Block[] {
  const text = readFileSync(join(root, file), 'utf8');
  const pattern = /(?:<!--\s*doc-test:\s*([\w-]+)\s*-->\s*\n)?^```(\w*)\n([\s\S]*?)^```/gm;
  const blocks: Block[] = [];
  for (const match of text.matchAll(pattern)) {
    const index = blocks.length;
    const slug = `${file.replace(/\/?README\.md$/, '').replace(/\W+/g, '-') || 'root'}-${index}`;
    blocks.push({ file, index, lang: match[2] ?? '', mode: match[1], code: match[3] ?? '', slug });
  }
  return blocks;
}

const all = readmes().flatMap(blocksOf);
const tsBlocks = all.filter((b) => (b.lang === 'ts' || b.lang === 'typescript') && b.mode !== 'skip');

/** Each block is checked beside its README, so it resolves the dependencies that package has. */
function dirFor(file: string): string {
  const dir = file === 'README.md' ? 'examples/items-service' : file.replace(/\/README\.md$/, '');
  return join(root, dir, 'readme-examples');
}
const dirs = [...new Set(all.map((b) => dirFor(b.file)))];
for (const dir of dirs) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Decorators need a tsconfig that covers the file, for vitest's transform as for tsc.
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: relative(dir, join(root, 'tsconfig.base.json')), compilerOptions: { noEmit: true, composite: false }, include: ['.'] }));
}
const out = join(__dirname, 'readme-examples');
mkdirSync(out, { recursive: true });
const fileOf = (block: Block, ext = 'ts'): string => join(dirFor(block.file), `${block.slug}.${ext}`);
for (const block of tsBlocks) {
  // A runnable block ends with `void main();`: the harness calls main() itself and awaits it.
  const code = block.mode === 'run' ? block.code.replace(/^void main\(\);\s*$/m, 'export { main };') : `${block.code}\nexport {};\n`;
  writeFileSync(fileOf(block), code);
}
const paths = Object.fromEntries(['core', 'auth', 'health', 'db', 'metrics', 'openapi', 'testing'].map((p) => [`@m8/${p}`, [`../../packages/${p}/src/index.ts`]]));
paths['@m8/core/internal'] = ['../../packages/core/src/internal.ts'];
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../../tsconfig.base.json',
    compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, noUnusedLocals: false, baseUrl: '.', paths },
    include: dirs.map((dir) => relative(out, dir)),
  }),
);

/** npm's own commands, which a shell block may name besides the root package.json scripts. */
const NPM_COMMANDS = ['install', 'i', 'exec', 'view', 'ci'];

/**
 * What a runnable block promises to print: the `// ...` comment closing each `console.log(...)` line, in order,
 * as util.inspect shows the values (strings quoted). A `console.log` without such a comment promises nothing
 * checkable, so it is refused.
 */
function promisedOutput(code: string): string[] {
  const calls = code.match(/console\.log\(/g)?.length ?? 0;
  const promised = [...code.matchAll(/^[^\n]*console\.log\([^\n]*\);[ \t]*\/\/[ \t]*([^\n]+)$/gm)].map((match) => match[1]!.trim());
  if (promised.length !== calls) throw new Error(`every console.log in a runnable README block ends with a // comment saying what it prints (${promised.length} of ${calls} do)`);
  return promised;
}

describe('README code blocks', () => {
  it('found the READMEs and their examples', () => {
    expect(readmes()).toEqual(expect.arrayContaining(['README.md', 'packages/core/README.md']));
    expect([...new Set(tsBlocks.filter((b) => b.mode === 'run').map((b) => b.file))].sort()).toEqual([
      'README.md',
      'packages/core/README.md',
      'packages/db/README.md',
      'packages/openapi/README.md',
      'packages/testing/README.md',
    ]);
  });

  it('type-checks every TypeScript block', () => {
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  for (const block of tsBlocks.filter((b) => b.mode === 'run')) {
    it(`runs ${block.file} example #${block.index} and prints what its comments say`, async () => {
      const promised = promisedOutput(block.code);
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(args.map((arg) => inspect(arg, { breakLength: Infinity, depth: 4 })).join(' '));
      });
      try {
        const module = (await import(fileOf(block))) as { main?: () => Promise<void> };
        expect(typeof module.main).toBe('function');
        await module.main!();
      } finally {
        log.mockRestore();
      }
      expect(printed).toEqual(promised);
    }, 60_000);
  }

  for (const block of all.filter((b) => (b.lang === 'dotenv' || b.lang === 'env') && b.mode !== 'skip')) {
    it(`loads ${block.file} .env block #${block.index} as valid settings`, () => {
      const file = fileOf(block, 'env');
      writeFileSync(file, block.code);
      const settings = ConsumerServiceSettings.load({ envFile: file, env: {} });
      const declared = /^PROJECT_NAME=("?)(.*)\1$/m.exec(block.code)?.[2];
      expect(declared).toMatch(/\S/);
      expect(settings.PROJECT_NAME).toBe(declared);
    });
  }

  it('documents every settings variable in the configuration reference', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const fields = Object.keys(ConsumerServiceSettings.load({ values: { PROJECT_NAME: 'x', ACCESS_SECRET_KEY: 'x'.repeat(32) }, env: {}, envFile: false }));
    const undocumented = fields.filter((name) => !readme.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });

  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
  for (const block of all.filter((b) => b.lang === 'bash' || b.lang === 'sh')) {
    it(`names only existing npm scripts in ${relative(root, join(root, block.file))} shell block #${block.index}`, () => {
      // A README may name the scripts of its own package as well as the root's.
      const own = join(root, dirname(block.file), 'package.json');
      const known = { ...scripts, ...(existsSync(own) ? (JSON.parse(readFileSync(own, 'utf8')).scripts as Record<string, string>) : {}) };
      const named = [...block.code.matchAll(/^\s*npm (?:run )?([\w:-]+)(?=\s|$)/gm)].map((match) => match[1]!);
      const missing = named.filter((script) => !NPM_COMMANDS.includes(script) && !(script in known));
      expect(missing).toEqual([]);
    });
  }
});
