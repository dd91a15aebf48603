import { describe, expect, it } from 'vitest';
import { scrubCredentials } from '@m8/db';
import { urlSecrets } from '../src/scrub';

describe('scrubCredentials', () => {
  it('masks URL credentials as scheme://***:***@', () => {
    expect(scrubCredentials('cannot reach postgresql://me:pw@db:5432/app now')).toBe('cannot reach postgresql://***:***@db:5432/app now');
    expect(scrubCredentials('mysql+aiomysql://root@db/x')).toBe('mysql+aiomysql://***:***@db/x');
  });

  it('masks every occurrence of each secret, longest first', () => {
    expect(scrubCredentials('pw=s3cret-1 again s3cret-1', ['s3cret-1'])).toBe('pw=*** again ***');
  });

  it('leaves secrets shorter than 4 characters alone (they would mask ordinary words)', () => {
    expect(scrubCredentials('a bad idea', ['a'])).toBe('a bad idea');
  });
});

describe('urlSecrets', () => {
  it('finds the password raw, escaped, and as written in the URL', () => {
    const password = 'p@ss:w/rd%+';
    const url = `postgresql://u:${encodeURIComponent(password)}@h:5432/db`;
    const secrets = urlSecrets(url, password);
    expect(secrets).toEqual(expect.arrayContaining([password, encodeURIComponent(password), url]));
    expect(scrubCredentials(`failed for ${password} / ${encodeURIComponent(password)}`, secrets)).toBe('failed for *** / ***');
  });
});
