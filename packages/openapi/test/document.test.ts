/** Structural tests of the document served at /api/openapi.json for the representative service. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerServiceSettings } from '@m8/core';
import { TokenFactory, TEST_SECRET_KEY, type TestApp } from '@m8/testing';
import { BEARER_SCHEME, OAUTH2_SCHEME } from '../src';
import { startDocsApp } from './fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let service: TestApp<ConsumerServiceSettings>;
let doc: Json;
let response: Response;
const op = (path: string, method: string): Json => doc.paths[path]?.[method];
const SECURED = [{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }];

beforeAll(async () => {
  service = await startDocsApp();
  response = await fetch(`${service.url}/api/openapi.json`);
  doc = (await response.json()) as Json;
});
afterAll(() => service?.close());

describe('GET /api/openapi.json', () => {
  it('is JSON, revalidated by ETag', async () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${service.url}/api/openapi.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('is an OpenAPI 3 document named and versioned after the service', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toEqual({ title: 'Items <Service>', version: '1.2.3' });
    expect(doc.servers).toBeUndefined(); // same origin as the document: "Try it out" calls this service
  });

  it('describes exactly the mounted controllers, under API_PREFIX', () => {
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/admin/reindex',
      '/api/catalog/',
      '/api/catalog/notes',
      '/api/catalog/{slug}',
      '/api/inherited/version',
      '/api/items/',
      '/api/items/{id}',
      '/api/items/{id}/admin',
      '/api/me/',
    ]);
    expect(Object.keys(doc.paths['/api/items/']).sort()).toEqual(['get', 'post']);
  });

  it('never lists internal routes (health, docs, the document itself)', () => {
    const paths = Object.keys(doc.paths).join(' ');
    for (const internal of ['health', 'openapi.json', '/docs', '/redoc', 'metrics', 'ping']) expect(paths).not.toContain(internal);
  });

  it('keeps unmounted controllers and unused classes out, including the settings class', () => {
    expect(JSON.stringify(doc)).not.toMatch(/elsewhere|UnusedPayload|secretThing|ConsumerServiceSettings|ACCESS_SECRET_KEY/);
  });
});

describe('security per operation', () => {
  it.each([
    ['/api/items/', 'get'],
    ['/api/items/', 'post'],
    ['/api/items/{id}', 'patch'],
    ['/api/items/{id}/admin', 'delete'],
    ['/api/admin/reindex', 'post'], // @Authorized on the controller class
    ['/api/me/', 'get'], // only a @CurrentUser() parameter
  ])('%s %s requires a token (OAuth2 login or pasted bearer) and documents 401/403', (path, method) => {
    const operation = op(path, method);
    expect(operation.security).toEqual(SECURED);
    expect(operation.responses['401'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HTTPError' });
    expect(operation.responses['403']).toEqual({
      description: expect.stringMatching(/^Inactive user/),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPError' } } },
    });
  });

  it.each([
    ['/api/catalog/', 'get'],
    ['/api/catalog/{slug}', 'get'],
    ['/api/catalog/notes', 'post'],
    ['/api/inherited/version', 'get'],
  ])('%s %s is public: no security, no 401', (path, method) => {
    const operation = op(path, method);
    expect(Object.keys(operation.responses)).not.toContain('403');
    expect(operation.security).toBeUndefined();
    expect(operation.responses['401']).toBeUndefined();
  });

  it('names the roles a guard asks for', () => {
    expect(op('/api/items/', 'post').description).toBe('Requires the role writer (or above).');
    expect(op('/api/items/{id}/admin', 'delete').description).toBe('Requires the role admin (or above).');
    expect(op('/api/admin/reindex', 'post').description).toBe('Requires the role admin (or above).');
    expect(op('/api/items/', 'get').description).toBe('Requires an authenticated user.');
  });

  it('declares the OAuth2 password flow against the issuer login, and an HTTP bearer scheme', () => {
    expect(doc.components.securitySchemes[OAUTH2_SCHEME]).toMatchObject({
      type: 'oauth2',
      flows: { password: { tokenUrl: 'http://localhost:8000/auth/login/access-token', scopes: {} } },
    });
    expect(doc.components.securitySchemes[BEARER_SCHEME]).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toBeUndefined(); // never global: public routes stay public
  });

  it('matches what the service enforces: protected answers 401 without a token, public answers 200', async () => {
    expect((await fetch(`${service.url}/api/me/`)).status).toBe(401);
    expect((await fetch(`${service.url}/api/admin/reindex`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${service.url}/api/catalog/`)).status).toBe(200);
    expect((await fetch(`${service.url}/api/inherited/version`)).status).toBe(200);
    const token = TokenFactory.hs256(TEST_SECRET_KEY).mint({ role: 'admin' });
    expect((await fetch(`${service.url}/api/admin/reindex`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});

describe('request bodies, parameters and schemas', () => {
  it('marks a @Body({ required: true }) body required, with its class schema', () => {
    const body = op('/api/items/', 'post').requestBody;
    expect(body.required).toBe(true);
    expect(body.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateItem' });
  });

  it('marks a plain @Body() required when its class has required properties (routing-controllers answers 422 without it)', async () => {
    expect(op('/api/catalog/notes', 'post').requestBody.required).toBe(true);
    const missing = await fetch(`${service.url}/api/catalog/notes`, { method: 'POST' });
    expect(missing.status).toBe(422);
  });

  it('leaves a body optional when every property of its class is optional', () => {
    expect(op('/api/items/{id}', 'patch').requestBody.required).toBe(false);
  });

  it('converts the class-validator rules, nested classes included', () => {
    const { CreateItem, Tag, UpdateItem } = doc.components.schemas;
    expect(CreateItem.required).toEqual(['title']);
    expect(CreateItem.properties.title).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(CreateItem.properties.description).toMatchObject({ type: 'string', maxLength: 2000 });
    expect(CreateItem.properties.tags).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/Tag' } });
    expect(Tag.required).toEqual(['label']);
    expect(UpdateItem.required).toBeUndefined();
  });

  it('documents path and query parameters', () => {
    expect(op('/api/catalog/{slug}', 'get').parameters).toEqual([{ in: 'path', name: 'slug', required: true, schema: { type: 'string' } }]);
    expect(op('/api/catalog/', 'get').parameters).toEqual([{ in: 'query', name: 'limit', required: false, schema: { type: 'number' } }]);
    expect(op('/api/items/{id}/admin', 'delete').parameters[0]).toMatchObject({ in: 'path', name: 'id', required: true });
  });

  it('documents response classes with their status', () => {
    expect(op('/api/items/', 'post').responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ItemOut' });
    expect(op('/api/catalog/', 'get').responses['200'].content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/CatalogEntry' },
    });
    expect(doc.components.schemas.ItemOut.properties.id).toMatchObject({ type: 'string', format: 'uuid' });
  });

  it('declares 422 where input is validated, with the contract shape', () => {
    expect(op('/api/items/', 'post').responses['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/HTTPValidationError' });
    expect(op('/api/admin/reindex', 'post').responses['422']).toBeUndefined(); // no input at all
    expect(doc.components.schemas.ValidationIssue.required).toEqual(['loc', 'msg', 'type']);
  });

  it('holds only reachable schemas, and every $ref resolves', () => {
    expect(Object.keys(doc.components.schemas).sort()).toEqual(
      ['CatalogEntry', 'CreateItem', 'CreateNote', 'HTTPError', 'HTTPValidationError', 'ItemOut', 'Tag', 'UpdateItem', 'ValidationIssue'].sort(),
    );
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    for (const name of refs) expect(doc.components.schemas).toHaveProperty(name);
  });
});
