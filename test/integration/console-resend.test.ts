// GET and POST /console/confirmation/resend: a new confirmation link, as PUT /api/users/reconfirm_email.
import { describe, expect, it } from 'vitest';
import { RECONFIRM_MESSAGE } from '#services/link-requests.ts';
import { escapeHtml } from '#shared/html.ts';
import { get, post } from '../support/console.ts';
import { activeAccount, confirm, signUp } from '../support/flows.ts';
import { newEmail } from '../support/http.ts';
import { fillWindow, uniqueIp } from '../support/ips.ts';
import { linkToken, mailsTo } from '../support/mail.ts';

const SENT = `<p role="status">${escapeHtml(RECONFIRM_MESSAGE)}</p>`;

describe('/console/confirmation/resend', () => {
  it('shows the form', async () => {
    const res = await get('/console/confirmation/resend');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<form method="post" action="/console/confirmation/resend">');
  });

  it('mails a new link that works and kills the old one', async () => {
    const email = newEmail('cresend');
    const old = await signUp(email);
    const res = await post('/console/confirmation/resend', { email });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(SENT);
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(2);
    expect((await confirm(old)).status).toBe(400);
    expect((await confirm(linkToken(mails[1] as (typeof mails)[number], 'confirm-email'))).status).toBe(200);
  });

  it('answers an unknown and a confirmed address with the same page and no mail', async () => {
    const unknown = newEmail('cresend-nobody');
    const confirmed = newEmail('cresend-done');
    await activeAccount(confirmed);
    const before = (await mailsTo(confirmed)).length;
    for (const email of [unknown, confirmed]) {
      const res = await post('/console/confirmation/resend', { email });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(SENT);
    }
    expect(await mailsTo(unknown)).toEqual([]);
    expect(await mailsTo(confirmed)).toHaveLength(before);
  });

  it('allows one a minute per address (429), refuses a bad address (400) and another site (403)', async () => {
    const email = newEmail('cresend-limits');
    await signUp(email);
    expect((await post('/console/confirmation/resend', { email })).status).toBe(200);
    const again = await post('/console/confirmation/resend', { email });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await again.text()).toContain('A confirmation mail was sent less than a minute ago.');
    const bad = await post('/console/confirmation/resend', { email: 'nope' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="email-problem" role="alert">This is not a valid email address.');
    const cross = await post(
      '/console/confirmation/resend',
      { email },
      {},
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(cross.status).toBe(403);
    const ip = uniqueIp();
    await fillWindow('resend', ip);
    expect((await post('/console/confirmation/resend', { email: newEmail() }, {}, {}, ip)).status).toBe(429);
    expect(await mailsTo(email)).toHaveLength(2);
  });
});
