// POST /api/free_users: direct signup. Creates an UNCONFIRMED account and mails a confirmation
// link. A taken address gets the same answer; its owner is told by mail instead.
import { randomUUID } from 'node:crypto';
import { handle } from 'hono/aws-lambda';
import { checkNotBreached } from '#adapters/pwned-passwords.ts';
import { createUnconfirmedUser, getUserByEmail } from '#data/profiles.ts';
import { isSuspended } from '#domain/account.ts';
import { checkNotDisposable } from '#domain/disposable.ts';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { EmailTakenError } from '#domain/errors.ts';
import { checkPasswordPolicy } from '#domain/password-policy.ts';
import { hashPassword } from '#domain/passwords.ts';
import { LINK_TTL_SECONDS, newToken } from '#domain/tokens.ts';
import { sendLimitedMail } from '#email/deliver.ts';
import { publicLink } from '#email/links.ts';
import { alreadyRegisteredMessage, confirmEmailMessage } from '#email/templates.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { responseFloor } from '#http/timing.ts';
import { auditItem, auditLog } from '#services/audit.ts';
import { config } from '#shared/config.ts';

export const SIGNUP_MESSAGE =
  'Check your inbox: we sent a link to confirm your email address. It expires in 24 hours. ' +
  'If no mail arrives within a few minutes, request a new link.';

export const doc: EndpointDoc = {
  post: {
    summary: 'Sign up: an unconfirmed account and a confirmation link by mail',
    description:
      'Creates an UNCONFIRMED account and mails a link to /confirm-email (valid 24 hours); login works once it is followed. An address that already has an account gets the same answer, and its owner a notice by mail instead (at most one mail a minute per address and purpose). Either answer takes at least 300 ms.',
    responses: {
      200: 'The account was made and the link mailed, or the address is taken and its owner told by mail: `message` says to check the inbox',
      400: 'The address is not valid or is on a disposable domain; or the password is shorter than 12 or longer than 256 characters, contains the address or the product name, is a common password, or appeared in a data breach',
      429: 'Too many signups from this IP (30 a minute; Retry-After says when to try again)',
    },
    data: MESSAGE_DATA,
  },
};

export const app = createApp().post(
  '/api/free_users',
  jsonBody({ email: string(MAX_EMAIL_LENGTH), password: string(1024) }),
  responseFloor(),
  async (c) => {
    const email = normalizeEmail(c.var.body.email);
    checkNotDisposable(email);
    const { password } = c.var.body;
    await checkPasswordPolicy(password, email);
    await limitPerIp(c, 'signup');
    // After the IP ceiling: nobody gets to drive calls to the breach service through us.
    await checkNotBreached(password, config().breachedPasswordCheck);
    // Hash before knowing whether the address is free, so both answers take as long.
    const passwordHash = await hashPassword(password);
    const now = requestNow(c);
    const confirm = newToken();
    const userId = randomUUID();
    const event = { name: 'signup', userId, ...requestOrigin(c) } as const;
    try {
      await createUnconfirmedUser(
        {
          userId,
          email,
          passwordHash,
          createdAt: new Date(now * 1000).toISOString(),
          confirmToken: { hash: confirm.hash, expiresAt: now + LINK_TTL_SECONDS.confirmEmail },
        },
        [auditItem(event, now)],
      );
      auditLog(event);
      await sendLimitedMail(
        'signup-confirm',
        email,
        now,
        confirmEmailMessage(publicLink('confirm-email', confirm.token)),
      );
    } catch (err) {
      if (!(err instanceof EmailTakenError)) throw err;
      // A suspended account's address hears nothing (the answer is the same either way).
      if (!isSuspended(await getUserByEmail(email)))
        await sendLimitedMail('signup-taken', email, now, alreadyRegisteredMessage());
    }
    return c.json({ data: { message: SIGNUP_MESSAGE } });
  },
);

export const handler = handle(app);
