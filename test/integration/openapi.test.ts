import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';

const committed = JSON.parse(readFileSync(new URL('../../functions/openapi.json', import.meta.url), 'utf8'));

describe('GET /api/openapi.json', () => {
  it('serves the committed document, with this deployment’s origin as its server', async () => {
    const res = await call('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const origin = process.env.PUBLIC_BASE_URL;
    expect(origin).toBeTruthy();
    expect(await res.json()).toEqual({ ...committed, servers: [{ url: origin }] });
  });
});
