/**
 * The README's `npx m8-prestart ...` line, run exactly as written in the example's folder: it reads
 * the service's own settings (environment, then local.env) and waits for the database.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const example = join(__dirname, '..');

function run(command: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: example, env: { ...process.env, ...env }, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

it('the documented m8-prestart command exits 0 once the database answers', async () => {
  const readme = readFileSync(join(example, 'README.md'), 'utf8');
  const command = /`(npx m8-prestart [^`]+)`/.exec(readme)?.[1];
  expect(command).toBe('npx m8-prestart --module dist/core/deps.js --export databaseEngine');
  const dir = mkdtempSync(join(tmpdir(), 'm8-prestart-'));
  try {
    const result = await run(command!, { DB_DATABASE: join(dir, 'items.sqlite3') });
    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(/^m8-prestart: database ready \(dist\/core\/deps\.js#databaseEngine, attempt 1,/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
