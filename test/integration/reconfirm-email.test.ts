import { describe, expect, it } from 'vitest';
import { claimMailSlot } from '#data/mail-rate.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { RECONFIRM_MESSAGE } from '#services/link-requests.ts';
import { activeAccount, call, confirm, signUp } from '../support/flows.ts';
import { json, newEmail } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';

const resend = (email: string) => call('PUT', '/api/users/reconfirm_email', json({ email }));

describe('PUT /api/users/reconfirm_email', () => {
  it('mails a new link that works and kills the old one', async () => {
    const email = newEmail();
    const oldToken = await signUp(email);
    const res = await resend(email);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: RECONFIRM_MESSAGE } });
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(2);
    const newToken = linkToken(mails[1] as (typeof mails)[number], 'confirm-email');
    expect(newToken).not.toBe(oldToken);
    expect((await confirm(oldToken)).status).toBe(400);
    expect((await confirm(newToken)).status).toBe(200);
  });

  it('allows one resend a minute per address: the next gets 429 with Retry-After', async () => {
    const email = newEmail();
    await signUp(email);
    expect((await resend(email)).status).toBe(200);
    const second = await resend(email.toUpperCase());
    expect(second.status).toBe(429);
    const retryAfter = Number(second.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await second.json()).toHaveProperty(['errors', '']);
    expect(await mailsTo(email)).toHaveLength(2);
  });

  it('answers an unknown address exactly alike, with no mail, and limits it alike', async () => {
    const email = newEmail('nobody');
    const res = await resend(email);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: RECONFIRM_MESSAGE } });
    expect(await mailsTo(email)).toEqual([]);
    expect((await resend(email)).status).toBe(429);
  });

  it('sends nothing to an account that is already confirmed', async () => {
    const email = newEmail();
    await activeAccount(email);
    const before = (await mailsTo(email)).length;
    expect((await resend(email)).status).toBe(200);
    expect(await mailsTo(email)).toHaveLength(before);
  });

  it('reports the time left in the window, not the whole minute', async () => {
    const email = newEmail();
    const now = nowSeconds();
    expect(await claimMailSlot('reconfirm', email, now)).toEqual({ ok: true, until: now + 60 });
    expect(await claimMailSlot('reconfirm', email, now + 45)).toEqual({ ok: false, retryAfter: 15 });
    expect(await claimMailSlot('reconfirm', email, now + 60)).toEqual({ ok: true, until: now + 120 });
  });
});
