// The MFA story over HTTP against `npm start --persist`, with codes computed by the otpauth
// library from the URI the API hands out, as an authenticator app computes them. A restart in the
// middle shows the dev key that seals TOTP secrets is kept with the data.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'otpauth';
import { afterAll, describe, expect, it } from 'vitest';
import { basic, json, newEmail, PASSWORD } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { npmStart, type RunningStack } from '../support/npm-start.ts';

let stack: RunningStack | undefined;
afterAll(() => stack?.kill());

const authed = (key: string, body?: unknown): RequestInit => ({
  headers: {
    authorization: `Bearer ${key}`,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

describe('MFA, end to end', () => {
  it('activates, logs in with codes, refuses replays, uses recovery codes, regenerates, deactivates', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'gatehouse-mfa-')), 'data');
    stack = await npmStart(['--persist', dir]);
    const email = newEmail('mfa-e2e');
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${(stack as RunningStack).api}${path}`, init);
    const login = (code?: string) =>
      api(`/api/login${code === undefined ? '' : `?mfa_token=${encodeURIComponent(code)}`}`, {
        headers: { authorization: basic(email, PASSWORD) },
      });
    const keyOf = async (res: Response) => ((await res.json()) as { data: { key: string } }).data.key;

    // An account, confirmed by the mailed link, and a key.
    expect(
      (await api('/api/free_users', { method: 'POST', ...json({ email, password: PASSWORD }) })).status,
    ).toBe(200);
    const [mail] = await mailsTo(email, stack.mail);
    const token = linkToken(mail as NonNullable<typeof mail>, 'confirm-email');
    expect(
      (await api('/confirm-email', { method: 'POST', body: new URLSearchParams({ token }) })).status,
    ).toBe(200);
    const firstKey = await keyOf(await login());

    // Enrol: the URI goes into the "app"; its current code turns MFA on.
    const start = await api('/api/mfa/start', { method: 'POST', ...authed(firstKey) });
    expect(start.status).toBe(200);
    const app = URI.parse(((await start.json()) as { data: { url: string } }).data.url);
    const code = (stepsAhead = 0) => app.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
    const verify = await api('/api/mfa/verify', {
      method: 'POST',
      ...authed(firstKey, { mfa_token: code() }),
    });
    expect(verify.status).toBe(200);
    const recovery = ((await verify.json()) as { data: { recovery_codes: string[] } }).data.recovery_codes;
    expect(recovery).toHaveLength(10);
    expect((await api('/api/users', authed(firstKey))).status).toBe(401);

    // Restart on the same data: the dev key that sealed the secret is kept with it.
    await stack.stop();
    stack = await npmStart(['--persist', dir], { dynamoPort: stack.dynamoPort });

    // Log in: 303 without a code, 200 with the next one (the activation spent the current
    // step), refused when replayed.
    const bare = await login();
    expect(bare.status).toBe(303);
    expect(bare.headers.get('location')).toBeNull();
    const next = code(1);
    const withCode = await login(next);
    expect(withCode.status).toBe(200);
    const key = await keyOf(withCode);
    expect((await login(next)).status).toBe(303);

    // A recovery code works once.
    expect((await login(recovery[0])).status).toBe(200);
    expect((await login(recovery[0])).status).toBe(303);
    const view = (await (await api('/api/users', authed(key))).json()) as { data: Record<string, unknown> };
    expect(view.data).toMatchObject({ mfa_enabled: true, mfa_recovery_codes_left: 9 });

    // A new set: the old codes die.
    const regen = await api('/api/mfa/recovery_codes', {
      method: 'POST',
      ...authed(key, { mfa_token: recovery[1] }),
    });
    expect(regen.status).toBe(200);
    const fresh = ((await regen.json()) as { data: { recovery_codes: string[] } }).data.recovery_codes;
    expect((await login(recovery[2])).status).toBe(303);

    // Off, with a code: the password alone logs in again.
    const off = await api('/api/mfa', {
      method: 'DELETE',
      ...authed(key, { mfa_token: fresh[0], current_password: PASSWORD }),
    });
    expect(off.status).toBe(200);
    expect((await login()).status).toBe(200);
    // The local SES keeps mail in memory: what was sent since the restart.
    const subjects = (await mailsTo(email, stack.mail)).map((m) => m.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        'A Gatehouse recovery code was used',
        'New Gatehouse recovery codes',
        'Multi-factor authentication is off for your Gatehouse account',
      ]),
    );
    await stack.stop();
  });
});
