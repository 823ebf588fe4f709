// The OpenAPI document: valid OpenAPI 3.1, generated afresh equal to the committed one, and
// naming every route of the route table with the body schema its endpoint validates with.
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { buildOpenApiDocument, OPENAPI_FILE, serialize } from '../../infra/openapi.ts';

type Operation = {
  security: Record<string, string[]>[];
  requestBody?: {
    content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }>;
  };
  responses: Record<string, unknown>;
};

const built = await buildOpenApiDocument();
const paths = built.paths as Record<string, Record<string, Operation>>;
const op = (method: string, path: string) => paths[path]?.[method] as Operation;

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(built);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is committed as generated (npm run openapi writes it)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(serialize(built));
  });

  it('has every route of the route table, and nothing else', () => {
    const expected = routes.flatMap((r) => r.methods.map((m) => `${m.toLowerCase()} ${r.path}`)).sort();
    const actual = Object.entries(paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`))
      .sort();
    expect(actual).toEqual(expected);
  });

  it('takes request bodies from the schemas the endpoints validate with', () => {
    const body = op('put', '/api/users/reset_password').requestBody?.content['application/json']?.schema;
    expect(body).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { email: { type: 'string', minLength: 1, maxLength: 254 } },
      required: ['email'],
    });
    const form = op('post', '/reset-password').requestBody?.content['application/x-www-form-urlencoded'];
    expect(form?.schema.required).toEqual(['token', 'password']);
    expect(op('get', '/api/users').requestBody).toBeUndefined();
  });

  it('marks key-authenticated operations, and login as the one taking a password', () => {
    expect(op('get', '/api/users').security).toEqual([{ apiKey: [] }, { emailAndKey: [] }]);
    expect(op('get', '/api/login').security).toEqual([{ emailAndPassword: [] }]);
    expect(op('post', '/api/free_users').security).toEqual([]);
    for (const [path, methods] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const keyed = operation.security.some((s) => 'apiKey' in s);
        expect(Object.keys(operation.responses).includes('401') || !keyed, `${method} ${path}`).toBe(true);
        if (operation.requestBody) {
          expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(
            expect.arrayContaining(['400', '413', '415']),
          );
        }
      }
    }
  });
});
