// SES failing for good (after the SDK's own retries) during signup: the account lands whole, the
// answer is the usual 200, and the user can ask for a new link at once.
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGNUP_MESSAGE } from '#services/direct-signup.ts';
import { call, confirm } from '../support/flows.ts';
import { json, newEmail, PASSWORD } from '../support/http.ts';
import { linkToken, mailsTo } from '../support/mail.ts';
import { itemsAbout } from '../support/table.ts';

const throttled = Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });

describe('SES throttled during signup', () => {
  afterEach(() => {
    mockClient(SESClient).restore();
  });

  it('keeps the account consistent, answers 200, and the resend works right away', async () => {
    const email = newEmail();
    const ses = mockClient(SESClient);
    ses.on(SendEmailCommand).rejects(throttled);
    const res = await call('POST', '/api/free_users', json({ email, password: PASSWORD }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { message: SIGNUP_MESSAGE } });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);

    const items = await itemsAbout(email);
    // The signup's mail slot stays taken (see lib/email/deliver.ts); the resend has its own.
    expect(items.map((i) => i.type).sort()).toEqual(['email', 'event', 'mailRate', 'token', 'user']);
    expect(items.find((i) => i.type === 'user')).toMatchObject({ status: 'UNCONFIRMED' });

    ses.restore();
    const resend = await call('PUT', '/api/users/reconfirm_email', json({ email }));
    expect(resend.status).toBe(200);
    const [mail] = await mailsTo(email);
    expect(mail).toBeDefined();
    expect((await confirm(linkToken(mail as NonNullable<typeof mail>, 'confirm-email'))).status).toBe(200);
  });
});
