/** Shared checks of the fault suites: constraint violations and the statement timeout, answered honestly. */
import { expect } from 'vitest';

async function post(url: string, body: Record<string, unknown>, path = '/notes'): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as unknown, text };
}

/** Unique → 409, foreign key → 409, not-null → 422, check → 422; no SQL, table, column or value in any answer. */
export async function expectViolationsAnswered(url: string, prefix: string): Promise<void> {
  const key = `${prefix}-secret-value`;
  expect((await post(url, { key, body: 'first' })).status).toBe(201);
  const answers = {
    unique: await post(url, { key, body: 'again' }),
    foreignKey: await post(url, { key: `${prefix}-orphan`, body: 'x', parent: 987_654 }),
    notNull: await post(url, { key: `${prefix}-null`, body: null }, '/notes/insert'),
    check: await post(url, { key: `${prefix}-long`, body: 'y'.repeat(150) }),
  };
  expect(answers.unique).toMatchObject({ status: 409, body: { detail: 'Conflict: a record with the same unique value already exists.' } });
  expect(answers.foreignKey).toMatchObject({
    status: 409,
    body: { detail: 'Conflict: the change refers to a record that does not exist, or to one still referred to.' },
  });
  expect(answers.notNull).toMatchObject({ status: 422, body: { detail: [{ loc: ['body'], msg: 'A required value is missing.', type: 'missing' }] } });
  expect(answers.check).toMatchObject({ status: 422, body: { detail: [{ loc: ['body'], msg: 'A value is outside what is accepted.', type: 'value_error' }] } });
  for (const answer of Object.values(answers)) {
    expect(answer.text).not.toMatch(/note|insert|select|secret-value|987654|yyyy|body_short/i);
  }
}

/** A statement running past DB_STATEMENT_TIMEOUT_MS is cut and answered 503 within the bound. */
export async function expectStatementTimeout(url: string, timeoutMs: number): Promise<void> {
  const started = performance.now();
  const res = await fetch(`${url}/sleep?seconds=30`);
  const elapsed = performance.now() - started;
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('2');
  expect(await res.json()).toEqual({ detail: 'The database is unavailable; try again shortly.' });
  expect(elapsed).toBeGreaterThanOrEqual(timeoutMs - 50);
  expect(elapsed).toBeLessThan(timeoutMs + 5_000);
}
