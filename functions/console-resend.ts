// GET /console/confirmation/resend: the form for a new confirmation link; POST mails it as PUT
// /api/users/reconfirm_email does, with the same answer for every address.
import { RESEND_PAGE } from '#http/console.ts';
import { mailFormPage } from '#http/console-mail-forms.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { RECONFIRM_MESSAGE, requestConfirmationLink } from '#services/link-requests.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: a new confirmation link (the form)',
    responses: { 200: 'The form' },
    html: true,
  },
  post: {
    summary: 'The web console: mail a new confirmation link',
    description:
      'As PUT /api/users/reconfirm_email: an account still waiting for confirmation is mailed a new link, earlier links stop working; every address gets the same page, in at least 300 ms, and the same limit of one request a minute per address.',
    responses: {
      200: 'The request was taken: the page says a new link is on its way if the address has an account waiting for confirmation',
      400: 'The address is not a valid email address (the form again, saying so next to the field); or the form is malformed',
      403: 'Not posted from this console (another site, by its Origin or Sec-Fetch-Site)',
      429: 'Too many requests from this IP (30 a minute), or one for this address less than a minute ago (Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = mailFormPage({
  path: RESEND_PAGE,
  title: 'Confirm your address',
  intro:
    'No confirmation mail, or its link expired? Enter the address you signed up with and we mail a new link.',
  button: 'Mail me a new link',
  request: requestConfirmationLink,
  sent: RECONFIRM_MESSAGE,
});

export const handler = handle(app);
