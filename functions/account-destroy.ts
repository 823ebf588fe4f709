// DELETE /api/users/destroy {email, current_password, mfa_token?}: deletes the account (the seed's
// `account:destroy`). Re-authenticates (the address typed again, the current password, and a
// current code when MFA is on: one throttle attempt), marks the profile DELETING under a condition
// (every key stops working at that moment: lib/http/auth.ts), then starts the deletion workflow,
// whose execution is named on the profile so that a repeated request starts nothing new. If Step
// Functions cannot be reached the request is withdrawn (keys work again) and answered 503.
import { handle } from 'hono/aws-lambda';
import { deletionExecutionName, startDeletion } from '#adapters/step-functions.ts';
import { markDeleting, withdrawDeletion } from '#data/deletion.ts';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { ConflictError, ValidationError } from '#domain/errors.ts';
import { createApp } from '#http/app.ts';
import { requireApiKeyEvenSuspended } from '#http/auth.ts';
import { jsonBody, optionalString, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { general, HttpError } from '#http/errors.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { auditItem, auditLog } from '#services/audit.ts';
import { confirmCurrentPassword } from '#services/reauthenticate.ts';
import { confirmSecondFactor } from '#services/second-factor.ts';

export const DELETION_STARTED =
  'Your account is being deleted. Its keys no longer work; a goodbye notice follows when it is gone.';
export const DELETION_NOT_STARTED =
  'The deletion could not be started. Nothing was deleted and your keys still work: try again in a minute.';

export const DELETION_UNCONFIRMED =
  'Another request for this deletion arrived at the same time, and its start could not be confirmed yet.';

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
    const { user } = c.var;
    const { email, current_password: password, mfa_token: code } = c.var.body;
    // Typing the address again guards against deleting the wrong account from a script.
    if (normalizeEmail(email) !== user.email) {
      throw new ValidationError('email', 'is not the address of this account');
    }
    const now = requestNow(c);
    const origin = requestOrigin(c);
    if (user.mfaEnabled) {
      await confirmSecondFactor(
        user,
        c.var.keyId,
        {
          code,
          currentPassword: password,
          passwordRequired: true,
          keySecondFactor: c.var.keySecondFactor,
        },
        now,
        origin,
      );
    } else {
      await confirmCurrentPassword(user, c.var.keyId, password, now, origin.ip);
    }
    const event = { name: 'account.deletion_requested', userId: user.userId, ...origin } as const;
    const fresh = deletionExecutionName(user.userId);
    const at = new Date(now * 1000).toISOString();
    const mark = await markDeleting(user, fresh, at, [auditItem(event, now)]);
    // A request that lost the race to mark the account starts the winner's execution: the same one.
    const execution = mark.marked ? fresh : mark.execution;
    if (!execution) throw new ConflictError('The account changed meanwhile. Try again.');
    if (mark.marked) auditLog(event);
    if (!(await startDeletion(user.userId, execution))) {
      // Withdrawn only by the request that marked it, and only while the workflow has not begun.
      if (!mark.marked) throw new HttpError(503, general(DELETION_UNCONFIRMED), { 'Retry-After': '60' });
      if (await withdrawDeletion(user.userId, execution)) {
        throw new HttpError(503, general(DELETION_NOT_STARTED), { 'Retry-After': '60' });
      }
      // Its first step claimed the deletion meanwhile: it did start, and goes on.
    }
    return c.json({ data: { message: DELETION_STARTED, status: 'deleting' } });
  },
);

export const handler = handle(app);
