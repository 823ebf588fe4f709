// GET /console/address: the account's address, a change under way, and the form to change it;
// POST asks for the change as POST /api/users/email does (services/email-change-request.ts): the
// password again, a link to the new address, a notice with an undo link to the current one.
import type { Context } from 'hono';
import type { Account } from '#domain/account.ts';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { createApp } from '#http/app.ts';
import { formBody, optionalString, string } from '#http/body.ts';
import {
  ADDRESS_PAGE,
  consolePage,
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
  requireConsoleSession,
  SIGNED_IN_FORM,
  SIGNED_IN_PAGE,
  type SignedIn,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { CHANGE_REQUESTED, requestEmailChange } from '#services/email-change-request.ts';
import { escapeHtml } from '#shared/html.ts';

const SUBJECTS: FieldSubjects = { ...REAUTH_SUBJECTS, next_email: ['next_email', 'This address'] };

function page(
  c: Context,
  who: SignedIn,
  user: Account,
  said: {
    readonly status?: string;
    readonly problems?: Problems;
    readonly next?: string;
    readonly pending?: string;
  } = {},
): string {
  const problems = said.problems ?? {};
  const pending = said.pending ?? user.pendingEmail;
  return consolePage(
    c,
    'Your address',
    `${problemBanner(problems[''])}${said.status ? `<p role="status">${escapeHtml(said.status)}</p>\n` : ''}<p>You sign in with <strong>${escapeHtml(user.email)}</strong>; mail about the account goes there.</p>
${pending ? `<p>Changing to <strong>${escapeHtml(pending)}</strong>: waiting for the link mailed there. Until it is followed, nothing changes; the mail to ${escapeHtml(user.email)} has a link to undo it.</p>\n` : ''}<form method="post" action="${ADDRESS_PAGE}">${formTokenField(who.sessionKey)}
<p><label for="next_email">New address</label>
<input id="next_email" name="next_email" type="email" autocomplete="email" maxlength="${MAX_EMAIL_LENGTH}" value="${escapeHtml(said.next ?? '')}" required${invalidIf(problems, 'next_email')}>${fieldProblem(problems, 'next_email')}</p>
${reauthFields({ mfaEnabled: false }, problems)}
<button type="submit">Change my address</button>
</form>`,
    who,
  );
}

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: the address, and changing it (the form)',
    responses: {
      200: 'The address, a change under way, and the form',
      ...SIGNED_IN_PAGE,
    },
    html: true,
  },
  post: {
    summary: 'The web console: change the address',
    description:
      'As POST /api/users/email: the password again (wrong ones count toward the session key’s throttle), a link valid 24 h to the new address and a notice with an undo link valid 7 days to the current one; nothing changes until the new address confirms.',
    responses: {
      200: 'The change is pending: the page says to follow the link mailed to the new address',
      ...SIGNED_IN_FORM,
      400: 'The new address is not valid, is on a disposable domain, or is the current one; or a field is missing (next to its field)',
      401: 'The password is incorrect (next to its field)',
      409: 'The last change can still be undone from the old address (the page says until when), or the account changed meanwhile',
      429: 'Too many requests from this IP, wrong passwords with this session, or a link mailed to the new address less than a minute ago (Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = createApp()
  .get(ADDRESS_PAGE, requireConsoleSession, (c) => c.html(page(c, c.var.signedIn, c.var.user)))
  .post(
    ADDRESS_PAGE,
    formBody({
      form_token: string(64),
      next_email: optionalString(MAX_EMAIL_LENGTH),
      current_password: optionalString(1024),
    }),
    requireConsoleSession,
    async (c) => {
      const { user, sessionRecord } = c.var;
      const who = c.var.signedIn;
      const { next_email: next = '', current_password: password = '' } = c.var.body;
      // The password only, as the API asks: an address change is undone from the old address.
      const missing = missingReauth({ mfaEnabled: false }, c.var.body);
      if (missing) return c.html(page(c, who, user, { problems: missing, next }), 400);
      try {
        await requestEmailChange(user, sessionRecord.keyId, next, password, requestNow(c), requestOrigin(c));
        return c.html(page(c, who, user, { status: CHANGE_REQUESTED, pending: normalizeEmail(next) }));
      } catch (err) {
        const refused = formRefusal(c, err, SUBJECTS);
        if (!refused) throw err;
        return c.html(page(c, who, user, { problems: refused.problems, next }), refused.status);
      }
    },
  );

export const handler = handle(app);
