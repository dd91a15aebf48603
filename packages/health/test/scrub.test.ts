import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, redactMeta, scrubMessage } from '@m8/health';
import { errorMessage } from '../src/scrub';

describe('scrubMessage', () => {
  it.each([
    ['connect to postgres://app:s3cret@db:5432/orders failed', 'connect to postgres://***:***@db:5432/orders failed'],
    ['mysql://root:p@ss@w0rd@127.0.0.1/x', 'mysql://***:***@127.0.0.1/x'],
    ['redis://onlyuser@cache:6379', 'redis://***:***@cache:6379'],
    ['GET https://key@api.example.com/v1?x=1 → 500', 'GET https://***:***@api.example.com/v1?x=1 → 500'],
    ['host=db user=app password=hunter2 dbname=x', `host=db user=app password=${REDACTED} dbname=x`],
    ['GET /x?api_key=abc&dbPassword=def&q=1', `GET /x?api_key=${REDACTED}&dbPassword=${REDACTED}&q=1`],
  ])('%s', (input, expected) => {
    expect(scrubMessage(input)).toBe(expected);
  });

  it('leaves URLs without credentials and emails alone', () => {
    const text = 'GET http://db:5432/x failed; mail ops@example.com';
    expect(scrubMessage(text)).toBe(text);
  });

  it('keeps only the first line, so stack traces never leak', () => {
    expect(scrubMessage('boom\n    at Object.<anonymous> (/srv/app/dist/check.js:10:5)')).toBe('boom');
  });

  it('caps the length, and never keeps half a URL', () => {
    const long = `${'word '.repeat(100)}${'x'.repeat(50)}`;
    expect(scrubMessage(long).length).toBeLessThanOrEqual(301);
    const straddling = `${'a '.repeat(599)}postgres://app:pw@db/x`;
    expect(scrubMessage(straddling)).not.toContain('pw');
    expect(scrubMessage('x'.repeat(5000))).toBe('message too long');
  });
});

describe('errorMessage', () => {
  it('uses only the message of an Error, scrubbed', () => {
    const error = Object.assign(new Error('refused by http://u:p@h/'), { sql: 'SELECT secret', stack: 'at /srv/x.js' });
    expect(errorMessage(error)).toBe('refused by http://***:***@h/');
  });

  it('handles non-Error throws', () => {
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage({ detail: 'object' })).toBe('check failed');
    expect(errorMessage(new Error(''))).toBe('Error');
  });
});

describe('isSecretKey', () => {
  it.each([
    'password', 'PASSWORD', 'db_password', 'dbPassword', 'Secret', 'client_secret', 'clientSecret', 'token', 'accessToken',
    'refresh-token', 'api_key', 'apiKey', 'API-KEY', 'access_key', 'AccessKey', 'private_key', 'privateKey',
    'credential', 'credentials', 'awsCredentials', 'dsn', 'DATABASE_DSN', 'sentryDsn', 'passwd',
  ])('%s is secret', (key) => expect(isSecretKey(key)).toBe(true));

  it.each(['host', 'port', 'latency', 'pool_size', 'url', 'region', 'keyspace'])('%s is not', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );
});

describe('redactMeta', () => {
  it('redacts secret keys at any depth, in objects and arrays, and scrubs strings', () => {
    const meta = {
      host: 'db',
      dbPassword: 'p1',
      nested: { API_KEY: 'k', deeper: { clientSecret: { anything: 1 }, ok: true } },
      replicas: [{ url: 'postgres://u:p@r1/x', access_token: 't' }, 'mysql://a:b@r2'],
      sentryDsn: 'https://abc@sentry.io/1',
    };
    expect(redactMeta(meta)).toEqual({
      host: 'db',
      dbPassword: REDACTED,
      nested: { API_KEY: REDACTED, deeper: { clientSecret: REDACTED, ok: true } },
      replicas: [{ url: 'postgres://***:***@r1/x', access_token: REDACTED }, 'mysql://***:***@r2'],
      sentryDsn: REDACTED,
    });
  });

  it('never throws when serialised: cycles, bigint, functions, dates, errors', () => {
    const meta: Record<string, unknown> = { n: 10n, fn: () => 1, when: new Date(0), err: new Error('x'), nan: Number.NaN };
    meta.self = meta;
    const out = redactMeta(meta);
    expect(JSON.parse(JSON.stringify(out))).toEqual({
      n: '10',
      when: '1970-01-01T00:00:00.000Z',
      err: 'x',
      nan: null,
      self: '[Circular]',
    });
  });

  it('returns {} for anything but a plain object', () => {
    expect(redactMeta(null)).toEqual({});
    expect(redactMeta([1])).toEqual({});
    expect(redactMeta('x')).toEqual({});
  });

  it('does not mutate its input', () => {
    const meta = { password: 'p', inner: { token: 't' } };
    redactMeta(meta);
    expect(meta).toEqual({ password: 'p', inner: { token: 't' } });
  });
});
