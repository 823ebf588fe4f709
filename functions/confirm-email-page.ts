// GET/POST /confirm-email: the page a signup's confirmation mail links to.
import { handle } from 'hono/aws-lambda';
import { confirmWithToken } from '#lib/email-confirmation.ts';
import { tokenButtonPage } from '#lib/http/token-page.ts';
import { EMAIL_CONFIRMED } from '#lib/messages.ts';

export const app = tokenButtonPage({
  path: '/confirm-email',
  title: 'Confirm your email address',
  explain: 'This finishes creating your Gatehouse account.',
  button: 'Confirm my email address',
  doneTitle: 'Email address confirmed',
  run: async (c, token) => {
    await confirmWithToken(c, token);
    return EMAIL_CONFIRMED;
  },
});

export const handler = handle(app);
