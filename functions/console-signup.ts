// GET /console/signup: the form to create an account; POST signs up as POST /api/free_users does
// (services/direct-signup.ts): an unconfirmed account and a confirmation link by mail, the same
// page for a taken address (its owner is told by mail), no sooner than the enumeration floor.
import type { Context } from 'hono';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import { MIN_PASSWORD_LENGTH } from '#domain/password-policy.ts';
import { createApp } from '#http/app.ts';
import { formBody, optionalString } from '#http/body.ts';
import {
  consolePage,
  type FieldSubjects,
  fieldProblem,
  formRefusal,
  invalidIf,
  LOGIN_PAGE,
  notFromConsole,
  type Problems,
  postedFromConsole,
  problemBanner,
  RESEND_PAGE,
  SIGNUP_PAGE,
  tierLimits,
} from '#http/console.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { responseFloor } from '#http/timing.ts';
import { SIGNUP_MESSAGE, signUpWithLink } from '#services/direct-signup.ts';
import { escapeHtml } from '#shared/html.ts';

const form = (c: Context, problems: Problems = {}, email = '') =>
  consolePage(
    c,
    'Create your account',
    `${problemBanner(problems[''])}<form method="post" action="${SIGNUP_PAGE}">
<p><label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" maxlength="${MAX_EMAIL_LENGTH}" value="${escapeHtml(email)}" required${invalidIf(problems, 'email')}>${fieldProblem(problems, 'email')}</p>
<p><label for="password">Password (at least ${MIN_PASSWORD_LENGTH} characters)</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" maxlength="1024" required${invalidIf(problems, 'password')}>${fieldProblem(problems, 'password')}</p>
<button type="submit">Create my account</button>
</form>
<p class="muted">The free tier: ${escapeHtml(tierLimits('FREE'))} We mail you a link to confirm the address; then sign in.</p>
<p class="muted">Have an account? <a href="${LOGIN_PAGE}">Sign in</a></p>`,
  );

const SUBJECTS: FieldSubjects = { email: ['email', 'This address'], password: ['password', 'The password'] };

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: sign up (the form)',
    responses: { 200: 'The form' },
    html: true,
  },
  post: {
    summary: 'The web console: sign up',
    description:
      'As POST /api/free_users: an UNCONFIRMED account and a link to /confirm-email by mail (valid 24 hours). An address that already has an account gets the same page, and its owner a notice by mail instead. Either answer takes at least 300 ms.',
    responses: {
      200: 'The account was made and the link mailed, or the address is taken and its owner told: the page says to check the inbox',
      400: 'The address is not valid or is on a disposable domain, or the password breaks a rule (the form again, the reason next to the field); or the form is malformed',
      403: 'Not posted from this console (another site, by its Origin or Sec-Fetch-Site)',
      429: 'Too many signups from this IP (30 a minute; Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = createApp()
  .get(SIGNUP_PAGE, (c) => c.html(form(c)))
  .post(
    SIGNUP_PAGE,
    formBody({ email: optionalString(MAX_EMAIL_LENGTH), password: optionalString(1024) }),
    responseFloor(),
    async (c) => {
      if (!postedFromConsole(c)) return notFromConsole(c);
      const { email: raw = '', password = '' } = c.var.body;
      try {
        await signUpWithLink(normalizeEmail(raw), password, requestNow(c), requestOrigin(c));
      } catch (err) {
        const refused = formRefusal(c, err, SUBJECTS);
        if (!refused) throw err;
        return c.html(form(c, refused.problems, raw), refused.status);
      }
      return c.html(
        consolePage(
          c,
          'Check your inbox',
          `<p role="status">${escapeHtml(SIGNUP_MESSAGE)}</p>
<p><a href="${RESEND_PAGE}">Mail me a new link</a> · <a href="${LOGIN_PAGE}">Sign in</a></p>`,
        ),
      );
    },
  );

export const handler = handle(app);
