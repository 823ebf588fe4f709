// GET/POST /revoke-email-change: the page the old address's notices link to.
import { CONSOLE } from '#http/console-paths.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { tokenButtonPage } from '#http/token-page.ts';
import { revokeChange } from '#services/email-change.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'Page to undo a change of address: one button',
    description:
      'The page the notices to the old address link to. Showing it spends nothing (mail scanners prefetch links); its button posts the token back to this path.',
    query: { token: { description: 'The token of the emailed undo link', required: true } },
    responses: {
      200: 'The page with the button',
      400: 'The token is missing or malformed (a page asking for the whole link)',
    },
    html: true,
  },
  post: {
    summary: "Undo a change of address (the page's button)",
    description:
      'Spends the undo link. A pending change is cancelled; a completed one is undone: the account moves back to this address, every API key is revoked, linked Google sign-ins are removed, and a password reset link is mailed here.',
    responses: {
      200: 'A page saying the change is cancelled or undone',
      400: 'The link is malformed, unknown, expired, already used, or replaced (a page saying it no longer works)',
      409: 'The old address belongs to another account now, so the change cannot be undone (a page saying nothing was changed)',
      429: 'Over 30 email-change requests a minute from this IP (a page asking to wait; Retry-After says how long)',
    },
    html: true,
  },
};

export const app = tokenButtonPage({
  path: '/revoke-email-change',
  title: 'Undo the change of your address',
  explain:
    'A pending change is cancelled; a completed one is undone, every key revoked, and a password reset link mailed here.',
  button: 'Undo the change',
  doneTitle: 'Change undone',
  run: revokeChange,
  next: { href: CONSOLE, text: 'Your account' },
});

export const handler = handle(app);
