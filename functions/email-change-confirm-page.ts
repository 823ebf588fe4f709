// GET/POST /confirm-email-change: the page the new address's mail links to.
import { CONSOLE } from '#http/console-paths.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { tokenButtonPage } from '#http/token-page.ts';
import { confirmEmailChange } from '#services/email-change.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'Page to confirm a new address: one button',
    description:
      'The page the mail to the new address links to. Showing it spends nothing (mail scanners prefetch links); its button posts the token back to this path.',
    query: { token: { description: 'The token of the emailed link', required: true } },
    responses: {
      200: 'The page with the button',
      400: 'The token is missing or malformed (a page asking for the whole link)',
    },
    html: true,
  },
  post: {
    summary: "Confirm a new address (the page's button)",
    description:
      'Spends the link: the account moves to the new address, and the previous address is mailed a notice with a new undo link (valid 7 days).',
    responses: {
      200: 'A page saying the address is changed',
      400: 'The link is malformed, unknown, expired, already used, or replaced (a page saying it no longer works)',
      409: 'The new address belongs to another account now (a page saying nothing was changed)',
      429: 'Over 30 email-change requests a minute from this IP (a page asking to wait; Retry-After says how long)',
    },
    html: true,
  },
};

export const app = tokenButtonPage({
  path: '/confirm-email-change',
  title: 'Confirm your new address',
  explain: 'Your Gatehouse account moves to this address; the old one gets a link to undo it.',
  button: 'Move my account to this address',
  doneTitle: 'Address changed',
  run: confirmEmailChange,
  next: { href: CONSOLE, text: 'Your account' },
});

export const handler = handle(app);
