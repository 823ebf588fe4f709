import { describe, expect, it } from 'vitest';
import { digest } from '#domain/tokens.ts';
import { codeLine } from '#http/terminal-start.ts';
import { call } from '../support/flows.ts';
import { poll, useFakeGoogle } from '../support/google.ts';
import { json } from '../support/http.ts';
import { allItems } from '../support/table.ts';

const google = useFakeGoogle();

describe('POST /api/oauth/google', () => {
  it('answers 201 with the authorization URL (state, nonce, PKCE S256) and a session to poll', async () => {
    const res = await call('POST', '/api/oauth/google');
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { url: string; session: string; code: string } };
    expect(data.session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(data.code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    // The link alone (a URL parser would drop a newline without a word).
    expect(data.url).not.toMatch(/\s/);
    const url = new URL(data.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${google().url}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: google().clientId,
      redirect_uri: 'https://accounts.gatehouse.test/oauth/google/callback',
      scope: 'openid email',
      state: expect.stringMatching(/^[0-9a-f]{64}\.[A-Za-z0-9_-]{43}$/),
      nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: 'S256',
      prompt: 'select_account',
    });
    // Stored by the digest of the session id, never the id; the state's secret only as a digest.
    const stored = (await allItems()).find((item) => item.pk === `OAUTH#${digest(data.session)}`);
    expect(stored).toMatchObject({ status: 'pending', purpose: 'login', expiresAt: expect.any(Number) });
    expect(JSON.stringify(await allItems())).not.toContain(data.session);
    expect(JSON.stringify(stored)).not.toContain(String(url.searchParams.get('state')).split('.')[1]);
    expect(JSON.stringify(stored)).not.toContain(data.code);
    // The session lives ten minutes, and is pending until the user is back from Google.
    expect(Number(stored?.expiresAt) - Date.now() / 1000).toBeGreaterThan(590);
    expect(Number(stored?.expiresAt) - Date.now() / 1000).toBeLessThanOrEqual(600);
    expect((await poll(data.session)).status).toBe(204);
  });

  // The Gigalixir CLI prints `url` alone and never `code`; a forwarded link must not carry the code.
  it.each([
    ['a login', '/api/oauth/google', undefined],
    ['a signup', '/api/signup', { oauth: 'google' }],
  ])(
    'gives the Gigalixir CLI, which prints url alone, the code on a line under the link: %s',
    async (_, path, body) => {
      const gigalixir = { 'user-agent': 'GigalixirCLI/1.16.1' };
      const res = await call('POST', path, body ? json(body, gigalixir) : { headers: gigalixir });
      expect(res.status).toBeLessThan(300);
      const { data } = (await res.json()) as { data: { url: string; code: string } };
      const [link = '', line] = data.url.split('\n');
      expect(link).toMatch(new RegExp(`^${google().url}/authorize\\?\\S+$`));
      expect(line).toBe(codeLine(data.code));
      expect(line).toBe(`and type the code ${data.code} where the page asks for it, after Google.`);
      // The link the user opens carries no part of the code.
      expect(link).not.toContain(data.code);
      expect(link).not.toContain(data.code.replace('-', ''));
    },
  );

  it('takes no input but an empty body', async () => {
    expect((await call('POST', '/api/oauth/google', json({ x: 1 }))).status).toBe(400);
  });
});
