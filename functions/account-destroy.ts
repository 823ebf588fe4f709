// DELETE /api/users/destroy {email, current_password, mfa_token?}: deletes the account (the seed's
// `account:destroy`). Re-authenticates (the address typed again, the current password, and a
// current code when MFA is on: one throttle attempt), marks the profile DELETING under a condition
// (every key stops working at that moment: lib/http/auth.ts), then starts the deletion workflow,
// whose execution is named on the profile so that a repeated request starts nothing new. If Step
// Functions cannot be reached the request is withdrawn (keys work again) and answered 503.
import { MAX_EMAIL_LENGTH } from '#domain/email.ts';
import { createApp } from '#http/app.ts';
import { requireApiKeyEvenSuspended } from '#http/auth.ts';
import { jsonBody, optionalString, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { DELETION_STARTED, requestDeletion } from '#services/account-deletion.ts';

export const doc: EndpointDoc = {
  delete: {
    summary: 'Delete the account',
    description:
      'Re-authenticates with the address typed again, the current password and, when MFA is on, a current code or unused recovery code, or a key minted by a login that passed MFA in the last 10 minutes, as the Gigalixir CLI sends no code (one attempt toward the throttle of the key sent: wrong ones never hold up the owner’s logins). The account is then marked for deletion, which stops every key at once, and the deletion runs in the background; a goodbye notice is mailed when it is done. Parallel requests start the same deletion. A suspended account may still be deleted by its owner (the only request its keys may make); it is sent no goodbye.',
    responses: {
      200: 'The deletion has started: `message` says so, `status` is `deleting`',
      400: 'email is not a valid address or not the address of this account; or MFA is on, mfa_token is missing and the key is not fresh from a login that passed MFA',
      401: 'current_password is wrong; or MFA is on and mfa_token is wrong, used already or over 64 characters',
      409: 'The account changed while the request was handled (and no deletion was under way): try again',
      429: 'Too many wrong passwords or codes sent with this key lately (Retry-After says when to try again; log in again for a new key)',
      503: 'The deletion workflow could not be started: nothing was deleted and the keys work again (or, for a parallel request, the start could not be confirmed yet); Retry-After says when to try again',
    },
    data: {
      type: 'object',
      required: ['message', 'status'],
      additionalProperties: false,
      properties: { message: { type: 'string' }, status: { type: 'string', const: 'deleting' } },
    },
  },
};

export const app = createApp().delete(
  '/api/users/destroy',
  // A suspended account may still be deleted by its owner.
  requireApiKeyEvenSuspended,
  jsonBody({
    email: string(MAX_EMAIL_LENGTH),
    current_password: string(1024),
    mfa_token: optionalString(1024),
  }),
  async (c) => {
    const { email, current_password: currentPassword, mfa_token: code } = c.var.body;
    await requestDeletion(
      c.var.user,
      c.var.keyId,
      email,
      { currentPassword, code, keySecondFactor: c.var.keySecondFactor },
      requestNow(c),
      requestOrigin(c),
    );
    return c.json({ data: { message: DELETION_STARTED, status: 'deleting' } });
  },
);

export const handler = handle(app);
