// GET/POST /confirm-email: the page a signup's confirmation mail links to.
import { EMAIL_CONFIRMED } from '#domain/messages.ts';
import { LOGIN_PAGE, RESEND_PAGE } from '#http/console-paths.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { tokenButtonPage } from '#http/token-page.ts';
import { confirmWithToken } from '#services/email-confirmation.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'The page the signup mail links to: a button to confirm the address',
    description:
      'Spends nothing (mail scanners fetch links): the button posts the token back to this path as a form.',
    query: { token: { description: 'The token of the confirmation link', required: true } },
    responses: {
      200: 'The page with the button',
      400: 'The token is missing or malformed: a page says to copy the whole link',
    },
    html: true,
  },
  post: {
    summary: "Confirm the address (the page's button)",
    description: 'Spends the link: the account becomes ACTIVE, so login works.',
    responses: {
      200: 'A page saying the address is confirmed',
      400: 'The link is malformed, unknown, used already, replaced by a newer one or expired, or its account is no longer waiting for confirmation: a page says so',
      429: 'Too many confirmations from this IP (60 a minute): a page says to wait, Retry-After says how long',
    },
    html: true,
  },
};

export const app = tokenButtonPage({
  path: '/confirm-email',
  title: 'Confirm your email address',
  explain: 'This finishes creating your Gatehouse account.',
  button: 'Confirm my email address',
  doneTitle: 'Email address confirmed',
  run: async (token, now, origin) => {
    await confirmWithToken(token, now, origin);
    return EMAIL_CONFIRMED;
  },
  next: { href: LOGIN_PAGE, text: 'Sign in to the console' },
  renew: { href: RESEND_PAGE, text: 'Mail me a new confirmation link' },
});

export const handler = handle(app);
