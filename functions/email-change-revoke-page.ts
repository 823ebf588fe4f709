// GET/POST /revoke-email-change: the page the old address's notices link to.
import { handle } from 'hono/aws-lambda';
import { revokeChange } from '#lib/email-change.ts';
import { tokenButtonPage } from '#lib/http/token-page.ts';

export const app = tokenButtonPage({
  path: '/revoke-email-change',
  title: 'Undo the change of your address',
  explain:
    'A pending change is cancelled; a completed one is undone, every key revoked, and a password reset link mailed here.',
  button: 'Undo the change',
  doneTitle: 'Change undone',
  run: revokeChange,
});

export const handler = handle(app);
