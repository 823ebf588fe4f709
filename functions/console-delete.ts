// GET /console/delete: what deleting the account does, and the form that asks for it; POST asks
// for it as DELETE /api/users/destroy does (services/account-deletion.ts): the address typed
// again, the password, and with MFA on a code. The account is then marked for deletion, which
// ends every key and this session at once; the workflow runs and a goodbye notice is mailed.
// A suspended account may still be deleted by its owner, as at the API.
import type { Context } from 'hono';
import type { Account } from '#domain/account.ts';
import { MAX_EMAIL_LENGTH } from '#domain/email.ts';
import { createApp } from '#http/app.ts';
import { formBody, optionalString, string } from '#http/body.ts';
import {
  CONSOLE,
  clearSession,
  consolePage,
  DELETE_PAGE,
  type FieldSubjects,
  fieldProblem,
  formRefusal,
  formTokenField,
  invalidIf,
  missingReauth,
  type Problems,
  problemBanner,
  REAUTH_SUBJECTS,
  reauthFields,
  requireConsoleSessionEvenSuspended,
  SIGNED_IN_FORM,
  type SignedIn,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { DELETION_STARTED, requestDeletion } from '#services/account-deletion.ts';
import { escapeHtml } from '#shared/html.ts';

const SUBJECTS: FieldSubjects = { ...REAUTH_SUBJECTS, email: ['email', 'The address'] };

function form(c: Context, who: SignedIn, user: Account, problems: Problems = {}, typed = ''): string {
  return consolePage(
    c,
    'Delete your account',
    `${problemBanner(problems[''])}<p>Deleting the account ends every key and session at once, cancels billing, and removes the account's data${user.tier === 'STANDARD' ? ' (usage to date is still invoiced)' : ''}. It cannot be undone. A goodbye notice is mailed to ${escapeHtml(user.email)} when it is done.</p>
<form method="post" action="${DELETE_PAGE}">${formTokenField(who.sessionKey)}
<p><label for="email">Type your address to confirm</label>
<input id="email" name="email" type="email" autocomplete="off" maxlength="${MAX_EMAIL_LENGTH}" value="${escapeHtml(typed)}" required${invalidIf(problems, 'email')}>${fieldProblem(problems, 'email')}</p>
${reauthFields(user, problems)}
<button type="submit" class="danger">Delete my account</button>
</form>
<p><a href="${CONSOLE}">Keep my account</a></p>`,
    who,
  );
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: delete the account (the form)',
    description: 'A suspended account sees it too: its owner may still delete it, as at the API.',
    responses: { 200: 'The form', 303: 'No live session: to /console/login' },
    html: true,
  },
  post: {
    summary: 'The web console: delete the account',
    description:
      'As DELETE /api/users/destroy: the address typed again, the current password and, with MFA on, a code (one attempt toward the session key’s throttle). The account is marked for deletion, which ends every key and this session at once; the deletion runs in the background and a goodbye notice is mailed when it is done (a suspended account is sent none). Signing in meanwhile says the account is being deleted.',
    responses: {
      200: 'The deletion has started: the page says so, the session cookie is dropped',
      ...SIGNED_IN_FORM,
      400: 'The address typed is not this account’s, or a field is missing (next to its field); or the form is malformed',
      401: 'The password or the code is wrong (next to its field)',
      403: 'Not posted from this console (another site, or another session’s form token)',
      409: 'The account changed meanwhile: try again',
      429: 'Too many wrong passwords or codes with this session lately (Retry-After says when to try again)',
      503: 'The deletion workflow could not be started: nothing was deleted, and the session still works (Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = createApp()
  .get(DELETE_PAGE, requireConsoleSessionEvenSuspended, (c) => c.html(form(c, c.var.signedIn, c.var.user)))
  .post(
    DELETE_PAGE,
    formBody({
      form_token: string(64),
      email: optionalString(MAX_EMAIL_LENGTH),
      current_password: optionalString(1024),
      code: optionalString(64),
    }),
    requireConsoleSessionEvenSuspended,
    async (c) => {
      const { user, sessionRecord } = c.var;
      const who = c.var.signedIn;
      const { email = '', current_password: password, code } = c.var.body;
      const missing = missingReauth(user, c.var.body);
      if (missing) return c.html(form(c, who, user, missing, email), 400);
      try {
        await requestDeletion(
          user,
          sessionRecord.keyId,
          email,
          { currentPassword: password ?? '', code },
          requestNow(c),
          requestOrigin(c),
        );
      } catch (err) {
        const refused = formRefusal(c, err, SUBJECTS);
        if (!refused) throw err;
        return c.html(form(c, who, user, refused.problems, email), refused.status);
      }
      // The session's key stopped with every other: the cookie goes too.
      clearSession(c);
      return c.html(
        consolePage(
          c,
          'Your account is being deleted',
          `<p role="status">${escapeHtml(DELETION_STARTED)}</p>
<p>Until it is gone, signing in says the account is being deleted.</p>`,
        ),
      );
    },
  );

export const handler = handle(app);
