// What no route matches, as API Gateway's $default route sends it to functions/fallback.ts (the
// local server mounts it the same way): a known path with another method, or no such path.
import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';

describe('a request no route matches', () => {
  it('answers 405 with Allow on a path the API has, naming the methods it takes', async () => {
    for (const [method, path, allow] of [
      ['PUT', '/api/users', 'GET'],
      ['POST', '/api/login', 'GET'],
      ['PATCH', '/api/payment_methods', 'GET, PUT'],
      ['GET', '/api/api_keys/3f1c', 'DELETE'],
      ['DELETE', '/oauth/google/callback', 'GET, POST'],
    ] as const) {
      const res = await call(method, path);
      expect({ path, status: res.status }).toEqual({ path, status: 405 });
      expect(res.headers.get('allow')).toBe(allow);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.json()).toEqual({
        errors: { '': [`Method not allowed here: use ${allow.split(', ').join(' or ')}`] },
      });
    }
  });

  it('answers the contract’s 404 on a path it does not have', async () => {
    for (const path of ['/api/nope', '/api/users/extra', '/', '/api/api_keys/a/b']) {
      const res = await call('GET', path);
      expect(res.status).toBe(404);
      expect(res.headers.get('allow')).toBeNull();
      expect(await res.json()).toEqual({ errors: { '': ['Not found'] } });
    }
  });
});
