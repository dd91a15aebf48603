/**
 * Migrations end to end, as the README tells a user to run them: `npm run migration:up` applies the
 * committed migrations of the database kind (src/migrations/<kind>, built to dist/) through the
 * MikroORM CLI and the exported configuration; `npm run migration:create` then finds nothing to do,
 * which also proves the committed migrations match the entities. Each database is a throwaway one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../../test/support/scratch-database';
import { mariadbUp, postgresUp } from './servers';

const example = join(__dirname, '..');

const databases = [
  { name: 'SQLite', up: true, selected: 'Sqlite' },
  { name: 'PostgreSQL', up: postgresUp, selected: 'Postgres' },
  { name: 'MariaDB', up: mariadbUp, selected: 'Mysql' },
] as const;

function npmRun(script: string, values: Readonly<Record<string, unknown>>, args: string[] = []): Promise<{ code: number | null; out: string }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ENV_FILE: join(example, 'local.env') };
  for (const [name, value] of Object.entries(values)) env[name] = String(value);
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', script, ...(args.length > 0 ? ['--', ...args] : [])], { cwd: example, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

for (const db of databases) {
  describe.skipIf(!db.up)(`migrations on ${db.name}`, () => {
    let scratch: ScratchDatabase;
    beforeAll(async () => {
      scratch = await createScratchDatabase(db.selected, 'migrate');
    });
    afterAll(async () => {
      await scratch?.drop();
    });

    it('npm run migration:up creates app_item and records the migration', async () => {
      const result = await npmRun('migration:up', scratch.values);
      expect(result.code, result.out).toBe(0);
      expect(result.out).toMatch(/Successfully migrated up to the latest version/);
      expect(await scratch.sql('select count(*) as n from app_item')).toEqual([{ n: db.selected === 'Postgres' ? '0' : 0 }]);
      const applied = await scratch.sql<{ name: string }>('select name from mikro_orm_migrations');
      expect(applied.map((row) => row.name)).toEqual([expect.stringMatching(/^Migration\d{14}$/)]);
    });

    it('npm run migration:create finds the schema up to date', async () => {
      // Into a temp folder: a test never writes into the repository.
      const out = mkdtempSync(join(tmpdir(), 'm8-migrations-'));
      try {
        const result = await npmRun('migration:create', scratch.values, ['--path', out]);
        expect(result.code, result.out).toBe(0);
        if (db.selected === 'Mysql') {
          // MikroORM's mysql driver reads MariaDB's nullable-column default as the string 'NULL', so it
          // proposes a no-op `modify description text`; nothing else may differ.
          const [file] = readdirSync(out);
          const up = readFileSync(join(out, file!), 'utf8').split('async down')[0]!;
          expect(up.match(/addSql\(.*\)/g)).toEqual(['addSql(`alter table \\`app_item\\` modify \\`description\\` text;`)']);
        } else {
          expect(result.out).toMatch(/No changes required, schema is up-to-date/);
          expect(readdirSync(out)).toEqual([]);
        }
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}
