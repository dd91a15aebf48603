/**
 * The document of the repository's example service (examples/items-service): its controllers as
 * they are, without its database (building the document never touches it).
 */
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, BEARER_SCHEME, OAUTH2_SCHEME } from '../src';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// A variable specifier keeps tsc from type-checking the example here (it has its own tsconfig).
const api = '../../../examples/items-service/src/api';

async function exampleDocument(): Promise<Json> {
  const { ItemsController } = (await import(/* @vite-ignore */ `${api}/items`)) as { ItemsController: new (...args: never[]) => unknown };
  const { AdminController } = (await import(/* @vite-ignore */ `${api}/admin`)) as { AdminController: new (...args: never[]) => unknown };
  return buildOpenApiDocument({
    controllers: [ItemsController, AdminController],
    apiPrefix: '/api',
    title: 'items-service',
    version: '0.1.0',
    tokenUrl: 'http://localhost:8000/auth/login/access-token',
  }) as Json;
}

describe('examples/items-service document', () => {
  it('lists its routes, each guarded as the contract example is', async () => {
    const doc = await exampleDocument();
    const secured = [{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }];
    const operations = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(['DELETE /api/items/{id}/admin', 'GET /api/items/', 'GET /api/items/{id}', 'PATCH /api/items/{id}', 'POST /api/admin/bootstrap', 'POST /api/items/'].sort());
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const operation of Object.values(item as Record<string, Json>)) expect(operation.security, path).toEqual(secured);
    }
    expect(doc.paths['/api/items/'].post.description).toBe('Requires the role writer (or above).');
    expect(doc.paths['/api/items/{id}/admin'].delete.description).toBe('Requires the role admin (or above).');
    expect(doc.paths['/api/admin/bootstrap'].post.description).toBe('Requires the role superadmin (or above).');
  });

  it('describes its request bodies from their class-validator rules', async () => {
    const doc = await exampleDocument();
    expect(doc.paths['/api/items/'].post.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateItem' } } } });
    expect(doc.components.schemas.CreateItem).toMatchObject({ required: ['title'], properties: { title: { type: 'string', minLength: 1, maxLength: 200 } } });
    expect(doc.components.schemas.UpdateItem.required).toBeUndefined();
    expect(doc.paths['/api/items/'].get.parameters).toEqual([{ in: 'query', name: 'limit', required: false, schema: { type: 'number' } }]);
  });
});
