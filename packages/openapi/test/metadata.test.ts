import { getMetadataArgsStorage } from 'routing-controllers';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, ERROR_SCHEMAS, OpenApiDocumentError } from '../src';
import { storageFor } from '../src/metadata';
import { AdminController, CatalogController, InheritedController, ItemsController, UnmountedController } from './fixtures';
import { IsString } from 'class-validator';
import { Body, JsonController, Post } from 'routing-controllers';

const input = { apiPrefix: '/api', title: 't', version: '1', tokenUrl: '/auth/login/access-token' };

describe('storageFor (metadata is process-global)', () => {
  it('keeps only the given controllers, their actions, params and handlers', () => {
    const storage = storageFor([ItemsController, AdminController]);
    expect(storage.controllers.map((c) => c.target)).toEqual([ItemsController, AdminController]);
    expect(new Set(storage.actions.map((a) => a.target))).toEqual(new Set([ItemsController, AdminController]));
    expect(storage.params.every((p) => p.object.constructor === ItemsController)).toBe(true);
    expect(storage.responseHandlers.some((h) => h.target === AdminController && h.method === undefined && h.type === 'authorized')).toBe(true);
    expect(getMetadataArgsStorage().controllers.some((c) => c.target === UnmountedController)).toBe(true); // still global
  });

  it('moves inherited actions onto the mounted subclass', () => {
    const storage = storageFor([InheritedController]);
    expect(storage.actions).toEqual([expect.objectContaining({ target: InheritedController, method: 'version', type: 'get' })]);
  });

  it('ignores classes that are not controllers', () => {
    expect(storageFor([class NotAController {}]).actions).toEqual([]);
  });
});

describe('buildOpenApiDocument', () => {
  it('describes an app without controllers as an empty document', () => {
    const doc = buildOpenApiDocument({ ...input, controllers: [] });
    expect(doc.paths).toEqual({});
    expect(Object.keys(doc.components!.schemas!).sort()).toEqual(Object.keys(ERROR_SCHEMAS).sort());
  });

  it('is the same whichever other controllers exist in the process', () => {
    const a = buildOpenApiDocument({ ...input, controllers: [CatalogController] });
    expect(Object.keys(a.paths)).toEqual(['/api/catalog/', '/api/catalog/{slug}', '/api/catalog/notes']);
  });

  it('refuses a class that takes the name of an error schema, naming it', () => {
    class HTTPError {
      @IsString() reason!: string;
    }
    @JsonController('/clash')
    class ClashController {
      @Post('/')
      create(@Body({ required: true }) body: HTTPError): HTTPError {
        return body;
      }
    }
    expect(() => buildOpenApiDocument({ ...input, controllers: [ClashController] })).toThrow(OpenApiDocumentError);
    try {
      buildOpenApiDocument({ ...input, controllers: [ClashController] });
    } catch (error) {
      expect((error as OpenApiDocumentError).code).toBe('ERR_M8_OPENAPI_DOCUMENT');
      expect((error as Error).message).toContain('HTTPError');
    }
  });

  it('describes a referenced class without class-validator metadata as a plain object', () => {
    class Bare {
      text = '';
    }
    @JsonController('/bare')
    class BareController {
      @Post('/')
      create(@Body({ required: true }) body: Bare): Bare {
        return body;
      }
    }
    const doc = buildOpenApiDocument({ ...input, controllers: [BareController] });
    expect(doc.components!.schemas!.Bare).toEqual({ type: 'object', title: 'Bare' });
  });
});
