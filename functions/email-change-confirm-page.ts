// GET/POST /confirm-email-change: the page the new address's mail links to.
import { handle } from 'hono/aws-lambda';
import { confirmEmailChange } from '#lib/email-change.ts';
import { tokenButtonPage } from '#lib/http/token-page.ts';

export const app = tokenButtonPage({
  path: '/confirm-email-change',
  title: 'Confirm your new address',
  explain: 'Your Gatehouse account moves to this address; the old one gets a link to undo it.',
  button: 'Move my account to this address',
  doneTitle: 'Address changed',
  run: confirmEmailChange,
});

export const handler = handle(app);
