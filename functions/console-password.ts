// GET /console/password: the form to change the password; POST changes it as PATCH
// /api/users/change_password does (services/password-change.ts): the current password within the
// session key's throttle, every other key and session signed out, the owner mailed.
import type { Context } from 'hono';
import { ConflictError, RateLimitedError, ValidationError, WrongCredentialError } from '#domain/errors.ts';
import { createApp } from '#http/app.ts';
import { formBody, string } from '#http/body.ts';
import {
  CONSOLE,
  consolePage,
  fieldProblem,
  formTokenField,
  invalidIf,
  type Problems,
  problemBanner,
  requireConsoleSession,
  retryLater,
  SIGNED_IN_FORM,
  SIGNED_IN_PAGE,
  type SignedIn,
  sentence,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { changePassword } from '#services/password-change.ts';

const PATH = `${CONSOLE}/password`;
function form(c: Context, who: SignedIn, problems: Problems = {}): string {
  return consolePage(
    c,
    'Change your password',
    `${problemBanner(problems[''])}<form method="post" action="${PATH}">${formTokenField(who.sessionKey)}
<p><label for="current_password">Current password</label>
<input id="current_password" name="current_password" type="password" autocomplete="current-password" maxlength="1024" required${invalidIf(problems, 'current_password')}>${fieldProblem(problems, 'current_password')}</p>
<p><label for="new_password">New password (at least 12 characters)</label>
<input id="new_password" name="new_password" type="password" autocomplete="new-password" minlength="12" maxlength="1024" required${invalidIf(problems, 'new_password')}>${fieldProblem(problems, 'new_password')}</p>
<button type="submit">Change my password</button>
</form>
<p class="muted">Every other key and session is signed out; this browser stays signed in. You are mailed a notice.</p>`,
    who,
  );
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: change the password (the form)',
    responses: {
      200: 'The form',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
  post: {
    summary: 'The web console: change the password',
    description:
      'As PATCH /api/users/change_password: the current password (counted toward the session key’s throttle), the same password rules; every other key and session is revoked, this browser stays signed in, the owner is mailed.',
    responses: {
      200: 'Changed: a page says so and how many other keys were signed out',
      ...SIGNED_IN_FORM,
      400: 'The new password breaks a rule (the form again, the reason next to it); or the form is malformed',
      401: 'The current password is wrong (the form again, saying so next to it)',
      409: 'The password was changed meanwhile: sign in again',
      429: 'Too many wrong passwords with this session lately (Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = createApp()
  .get(PATH, requireConsoleSession, (c) => c.html(form(c, c.var.signedIn)))
  .post(
    PATH,
    formBody({ form_token: string(64), current_password: string(1024), new_password: string(1024) }),
    requireConsoleSession,
    async (c) => {
      const { current_password: current, new_password: next } = c.var.body;
      const { user, sessionRecord } = c.var;
      const who = c.var.signedIn;
      try {
        const revoked = await changePassword(
          user,
          sessionRecord.keyId,
          current,
          next,
          requestNow(c),
          requestOrigin(c),
        );
        return c.html(
          consolePage(
            c,
            'Password changed',
            `<p role="status">Your password is changed. ${revoked} other key(s) and session(s) were signed out; this browser stays signed in.</p>\n<p><a href="${CONSOLE}">Back to your account</a></p>`,
            c.var.signedIn,
          ),
        );
      } catch (err) {
        if (err instanceof ValidationError)
          return c.html(form(c, who, { new_password: sentence('The new password', err.message) }), 400);
        if (err instanceof WrongCredentialError)
          return c.html(form(c, who, { current_password: 'The current password is wrong.' }), 401);
        if (err instanceof ConflictError) return c.html(form(c, who, { '': err.message }), 409);
        if (err instanceof RateLimitedError) return c.html(form(c, who, { '': retryLater(c, err) }), 429);
        throw err;
      }
    },
  );

export const handler = handle(app);
