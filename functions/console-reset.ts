// GET /console/password/reset: the form for a password reset link; POST mails it as PUT
// /api/users/reset_password does, with the same answer for every address. The link opens
// /reset-password, the page that sets the new password.
import { RESET_PAGE } from '#http/console.ts';
import { mailFormPage } from '#http/console-mail-forms.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { RESET_REQUESTED, requestResetLink } from '#services/link-requests.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: forgotten password (the form)',
    responses: { 200: 'The form' },
    html: true,
  },
  post: {
    summary: 'The web console: mail a password reset link',
    description:
      'As PUT /api/users/reset_password: an account (confirmed or not, not being deleted) is mailed a link to /reset-password that works once, for 1 hour; every address gets the same page, in at least 300 ms, and the same limit of one request a minute per address.',
    responses: {
      200: 'The request was taken: the page says a link is on its way if the address has an account',
      400: 'The address is not a valid email address (the form again, saying so next to the field); or the form is malformed',
      403: 'Not posted from this console (another site, by its Origin or Sec-Fetch-Site)',
      429: 'Too many requests from this IP (30 a minute), or one for this address less than a minute ago (Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = mailFormPage({
  path: RESET_PAGE,
  title: 'Forgot your password?',
  intro: 'Enter your account’s address and we mail you a link to choose a new password.',
  button: 'Mail me a reset link',
  request: requestResetLink,
  sent: RESET_REQUESTED,
});

export const handler = handle(app);
