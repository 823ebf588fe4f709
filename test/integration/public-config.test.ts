import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';
import { useFakeStripe } from '../support/stripe.ts';

const stripe = useFakeStripe();

describe('GET /api/public/config', () => {
  it('tells clients the publishable key (and nothing secret)', async () => {
    const res = await call('GET', '/api/public/config');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      data: { stripe_publishable_key: stripe().publishableKey, google_sign_in: false, git_host: null },
    });
    expect(JSON.stringify(body)).not.toContain(stripe().secretKey);
  });
});
