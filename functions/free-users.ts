// POST /api/free_users: direct signup. Creates an UNCONFIRMED account and mails a confirmation
// link. A taken address gets the same answer; its owner is told by mail instead.
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, string } from '#http/body.ts';
import { type EndpointDoc, MESSAGE_DATA } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { responseFloor } from '#http/timing.ts';
import { SIGNUP_MESSAGE, signUpWithLink } from '#services/direct-signup.ts';

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
    const { email, password } = c.var.body;
    await signUpWithLink(normalizeEmail(email), password, requestNow(c), requestOrigin(c));
    return c.json({ data: { message: SIGNUP_MESSAGE } });
  },
);

export const handler = handle(app);
