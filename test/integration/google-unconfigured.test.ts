// A deployment without Google settings: every Google route says so plainly.
import { describe, expect, it } from 'vitest';
import { call } from '../support/flows.ts';
import { json } from '../support/http.ts';

describe('Google sign-in without configuration', () => {
  it('answers 501 with a clear message', async () => {
    expect(process.env.GOOGLE_CLIENT_ID).toBeUndefined();
    for (const res of [
      await call('POST', '/api/oauth/google'),
      await call('POST', '/api/signup', json({ oauth: 'google' })),
      await call('POST', '/api/oauth/google/id_token', json({ id_token: 'x.y.z' })),
    ]) {
      expect(res.status).toBe(501);
      expect(await res.json()).toEqual({
        errors: { '': ['Google sign-in is not configured on this server.'] },
      });
    }
  });
});
