import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientIp } from '#http/client-ip.ts';

const app = new Hono().get('/', (c) => c.text(clientIp(c)));
const spoofed = { 'x-forwarded-for': '1.1.1.1', 'x-real-ip': '2.2.2.2', forwarded: 'for=3.3.3.3' };

describe('clientIp', () => {
  it('takes the source IP of the API Gateway request context, whatever the headers say', async () => {
    const env = { event: { requestContext: { http: { sourceIp: '203.0.113.7' } } } };
    expect(await (await app.request('/', { headers: spoofed }, env)).text()).toBe('203.0.113.7');
  });

  it('takes the socket address locally', async () => {
    const env = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
    expect(await (await app.request('/', { headers: spoofed }, env)).text()).toBe('127.0.0.1');
  });

  it('never falls back to a header', async () => {
    expect(await (await app.request('/', { headers: spoofed })).text()).toBe('unknown');
  });
});
