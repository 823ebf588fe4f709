// The audit trail of a whole flow: each security event is a log line and (for a known user) an
// item kept about 400 days; and nothing secret ever reaches the logs.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUDIT_RETENTION_SECONDS, listEvents } from '#data/events.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { call, confirm, login, signUp, sourceIp } from '../support/flows.ts';
import { basic, json, newEmail, PASSWORD } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { itemsAbout } from '../support/table.ts';

let lines: string[];
beforeEach(() => {
  lines = [];
  vi.stubEnv('LOG_LEVEL', 'info');
  const capture = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const auditLines = () =>
  lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.message === 'audit')
    .map((l) => l.event);

describe('the audit trail', () => {
  it('records a whole flow, in the logs and under the user, and logs no secret', async () => {
    const email = newEmail('audited');
    const wrong = 'not the right password';
    const firstToken = await signUp(email);
    await call('PUT', '/api/users/reconfirm_email', json({ email }));
    const mails = await mailsTo(email);
    const token = linkToken(mails.at(-1) as (typeof mails)[number], 'confirm-email');
    expect((await login(email, wrong)).status).toBe(401);
    expect((await confirm(token)).status).toBe(200);
    const res = await login(email);
    const { key } = ((await res.json()) as { data: { key: string } }).data;
    expect((await call('GET', '/api/users', { headers: { authorization: basic(email, key) } })).status).toBe(
      200,
    );

    expect(auditLines()).toEqual([
      'signup',
      'login.failed',
      'email.confirmed',
      'login.succeeded',
      'api_key.minted',
    ]);
    for (const secret of [PASSWORD, wrong, firstToken, token, key, key.slice(7)]) {
      for (const line of lines) expect(line).not.toContain(secret);
    }

    const user = (await itemsAbout(email)).find((i) => i.type === 'user');
    const events = await listEvents(String(user?.userId));
    // Stored in order, but a day's failed logins are one item, counted, sorting last of the day.
    expect(events.map((e) => e.event)).toEqual([
      ...auditLines().filter((e) => e !== 'login.failed'),
      'login.failed',
    ]);
    expect(events.at(-1)).toMatchObject({ count: 1 });
    // The login's success and the key it minted are one item (one write unit), read back as two.
    const items = (await itemsAbout(email)).filter((i) => i.type === 'event');
    expect(items.map((i) => i.event)).not.toContain('api_key.minted');
    expect(items.find((i) => i.event === 'login.succeeded')).toMatchObject({
      also: [{ event: 'api_key.minted', detail: { keyId: expect.any(String) } }],
    });
    for (const event of events) {
      expect(event.ip).toBe(sourceIp);
      const expiresAt = (event as unknown as { expiresAt: number }).expiresAt;
      expect(Math.abs(expiresAt - (nowSeconds() + AUDIT_RETENTION_SECONDS))).toBeLessThan(120);
      expect(JSON.stringify(event)).not.toContain(PASSWORD);
    }
  });

  it('logs throttling and failures on unknown addresses without the address', async () => {
    const email = newEmail('stranger');
    for (let i = 0; i < 6; i++) await login(email, 'guess number one');
    const logged = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.message === 'audit');
    expect(logged.map((l) => l.event)).toEqual([...Array(5).fill('login.failed'), 'login.throttled']);
    expect(new Set(logged.map((l) => l.subject)).size).toBe(1);
    for (const line of lines) {
      expect(line).not.toContain(email);
      expect(line).not.toContain('guess number one');
    }
  });
});
