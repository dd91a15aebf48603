import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Body, Get, JsonController, Post } from 'routing-controllers';
import { IsInt, IsString, Min } from 'class-validator';
import { HttpProblem } from '@m8/core';
import { createTestSettings, startTestApp, type TestApp } from '@m8/testing';

class CreateThing {
  @IsString() name!: string;
  @IsInt() @Min(1) count!: number;
}

class SqlError extends Error {
  sql = 'SELECT * FROM users WHERE password = $1';
  parameters = ['hunter2'];
}

@JsonController('/things')
class ThingsController {
  @Get('/')
  list() {
    return [{ id: 1 }];
  }

  @Post('/')
  create(@Body({ required: true }) body: CreateThing) {
    return { created: body.name };
  }

  @Get('/boom')
  boom() {
    throw new SqlError('relation "users" violates constraint at /srv/app/src/db.ts:42');
  }

  @Get('/teapot')
  teapot() {
    throw new HttpProblem(418, 'short and stout', { headers: { 'X-Tea': 'earl-grey' } });
  }
}

let t: TestApp<ReturnType<typeof createTestSettings>>;
beforeAll(async () => {
  const settings = createTestSettings({ BACKEND_CORS_ORIGINS: 'https://app.example.com, http://localhost:3000/', BODY_LIMIT_BYTES: 1024 });
  t = await startTestApp({ settings, controllers: [ThingsController] });
});
afterAll(() => t.close());

describe('routes and error shapes', () => {
  it('serves a controller under API_PREFIX', async () => {
    const res = await fetch(`${t.url}/api/things/`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ id: 1 }]);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await fetch(`${t.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ detail: 'Not Found' });
  });

  it('answers an internal error with a bare 500: no SQL, path, stack or own properties', async () => {
    const res = await fetch(`${t.url}/api/things/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ detail: 'Internal Server Error' });
    expect(text).not.toMatch(/SELECT|hunter2|\/srv|stack|relation/);
  });

  it('lets an HttpProblem speak with its status, detail and headers', async () => {
    const res = await fetch(`${t.url}/api/things/teapot`);
    expect(res.status).toBe(418);
    expect(res.headers.get('x-tea')).toBe('earl-grey');
    expect(await res.json()).toEqual({ detail: 'short and stout' });
  });

  it('answers a validation failure with 422 and the {loc, msg, type} list', async () => {
    const res = await fetch(`${t.url}/api/things/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 7, count: 0 }) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { detail: { loc: unknown[]; msg: string; type: string }[] };
    expect(body.detail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ loc: ['body', 'name'], type: 'isString' }),
        expect.objectContaining({ loc: ['body', 'count'], type: 'min' }),
      ]),
    );
  });

  it('answers malformed JSON with 422 json_invalid', async () => {
    const res = await fetch(`${t.url}/api/things/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
  });

  it('answers a body over BODY_LIMIT_BYTES with 413', async () => {
    const res = await fetch(`${t.url}/api/things/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(2000), count: 1 }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ detail: expect.any(String) });
  });
});

describe('request id and security headers', () => {
  it('echoes a sane X-Request-Id', async () => {
    const res = await fetch(`${t.url}/api/things/`, { headers: { 'X-Request-Id': 'abc-123.def' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123.def');
  });

  it('replaces an insane X-Request-Id with a generated one, on errors too', async () => {
    const res = await fetch(`${t.url}/api/nope`, { headers: { 'X-Request-Id': 'x'.repeat(300) } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets nosniff and DENY and names no stack', async () => {
    for (const path of ['/api/things/', '/api/things/boom', '/api/nope']) {
      const res = await fetch(`${t.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('server')).toBeNull();
    }
  });
});

describe('CORS (docs/interop.md §6)', () => {
  it('allows a configured origin, normalised, with credentials, on errors too', async () => {
    for (const path of ['/api/things/', '/api/nope', '/api/things/boom']) {
      const res = await fetch(`${t.url}${path}`, { headers: { Origin: 'http://localhost:3000' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    }
  });

  it('allows FRONTEND_HOST', async () => {
    const res = await fetch(`${t.url}/api/things/`, { headers: { Origin: 'http://localhost:5173' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('gives a disallowed origin no Access-Control-Allow-* header', async () => {
    const res = await fetch(`${t.url}/api/things/`, { headers: { Origin: 'https://evil.example.com' } });
    expect(res.status).toBe(200);
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-allow'))).toEqual([]);
  });

  it('answers an allowed preflight with the contract methods, headers and max-age', async () => {
    const res = await fetch(`${t.url}/api/things/`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type, X-Requested-With');
    expect(res.headers.get('access-control-max-age')).toBe('3600');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('refuses a disallowed preflight without any Access-Control-Allow-* header', async () => {
    const res = await fetch(`${t.url}/api/things/`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example.com', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(400);
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-allow'))).toEqual([]);
  });
});
