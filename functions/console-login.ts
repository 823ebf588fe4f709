// GET /console/login: the web console's sign-in form; POST: address and password (the same login
// as GET /api/login), then, with MFA on, a second form for the code (or a recovery code). Success
// sets the session cookie and goes to /console. Every wrong credential gets the same page, no
// sooner than the enumeration floor.
import type { Context } from 'hono';
import { MAX_EMAIL_LENGTH, normalizeEmail } from '#domain/email.ts';
import {
  AccountSuspendedError,
  AuthenticationError,
  ConflictError,
  InvalidTokenError,
  RateLimitedError,
  SecondFactorRequiredError,
} from '#domain/errors.ts';
import { MAX_PASSWORD_LENGTH } from '#domain/passwords.ts';
import { allowFormRedirectTo, createApp } from '#http/app.ts';
import { formBody, optionalString } from '#http/body.ts';
import {
  CONSOLE,
  consolePage,
  GOOGLE_START,
  LOGIN_PAGE,
  notFromConsole,
  postedFromConsole,
  problemBanner,
  RESEND_PAGE,
  RESET_PAGE,
  retryLater,
  SIGNUP_PAGE,
  seeOther,
  sessionKeyOf,
  setSession,
} from '#http/console.ts';
import { browserCookie } from '#http/csrf.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestOrigin, requestTime } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { failureFloor } from '#http/timing.ts';
import { CHALLENGE_SECONDS, consoleLogin, consoleSecondFactor } from '#services/console-login.ts';
import { config, googleSettings } from '#shared/config.ts';
import { escapeHtml } from '#shared/html.ts';

const WRONG = 'The address or the password is wrong.';
const challengeCookie = () => browserCookie('gatehouse-console-mfa', config().publicBaseUrl, LOGIN_PAGE);

/** "Sign in with Google", where this server has Google configured. */
function googleButton(c: Context): string {
  const google = googleSettings();
  if (!google) return '';
  // The button's answer is a redirect to Google: the browser holds it to this page's form-action.
  allowFormRedirectTo(c, new URL(google.authorizationEndpoint).origin);
  return `<form method="post" action="${GOOGLE_START}" class="alternative">
<button type="submit" class="secondary">Sign in with Google</button>
</form>
`;
}

const passwordForm = (c: Context, problem?: string, email = '') =>
  consolePage(
    c,
    'Sign in',
    `${problemBanner(problem)}<form method="post" action="${LOGIN_PAGE}">
<p><label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="username" maxlength="${MAX_EMAIL_LENGTH}" value="${escapeHtml(email)}" required></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="${MAX_PASSWORD_LENGTH * 4}" required></p>
<button type="submit">Sign in</button>
</form>
${googleButton(c)}<p class="muted"><a href="${RESET_PAGE}">Forgot your password?</a> · <a href="${RESEND_PAGE}">No confirmation mail?</a></p>
<p class="muted">New here? <a href="${SIGNUP_PAGE}">Create an account</a></p>`,
  );

const codeForm = (c: Context, problem?: string) =>
  consolePage(
    c,
    'Your second factor',
    `${problemBanner(problem)}<form method="post" action="${LOGIN_PAGE}">
<p><label for="code">Code from your authenticator app, or a recovery code</label>
<input id="code" name="code" autocomplete="one-time-code" inputmode="text" maxlength="64" required autofocus></p>
<button type="submit">Continue</button>
</form>
<p class="muted">Multi-factor authentication is on for this account. The code is good for a few minutes; after that, sign in again.</p>`,
  );

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: sign in',
    description:
      'The address and password form, and, where Google sign-in is configured, a "Sign in with Google" button (POST /console/login/google); a browser with a live session goes to the console instead.',
    responses: { 200: 'The form', 303: 'Signed in already: to /console' },
    html: true,
  },
  post: {
    summary: 'The web console: sign in (the form)',
    description:
      'Address and password, counted and throttled as GET /api/login; with MFA on, a second form asks for a code or recovery code (the browser keeps a cookie for the next 5 minutes). Success mints a key of kind browser, named "Web console" (listed and revocable with the other keys), kept in an HttpOnly SameSite=Lax cookie (`__Host-` over HTTPS) for the configured lifetime, and goes to /console.',
    responses: {
      303: 'Signed in: to /console, the session cookie set',
      200: 'MFA is on: the form for the code',
      400: 'The code is wrong, used already or missing (the code form again); or the code step is over 5 minutes old (the sign-in form again)',
      401: 'A wrong address or password (the form again, the address kept); or, with the right password, an address not confirmed yet or an account being deleted',
      403: 'Not posted from this console (another site, by its Origin or Sec-Fetch-Site); or an operator suspended the account',
      409: 'The account changed during the sign-in: sign in again',
      429: 'Too many logins from this IP or failed logins for this address (Retry-After says when to try again)',
    },
    html: true,
  },
};

export const app = createApp()
  .get(LOGIN_PAGE, (c) => (sessionKeyOf(c) ? seeOther(c, CONSOLE) : c.html(passwordForm(c))))
  .post(
    LOGIN_PAGE,
    failureFloor(),
    formBody({
      email: optionalString(MAX_EMAIL_LENGTH),
      password: optionalString(MAX_PASSWORD_LENGTH * 4),
      code: optionalString(64),
    }),
    async (c) => {
      const { email: rawEmail = '', password = '', code } = c.var.body;
      if (!postedFromConsole(c)) return notFromConsole(c);
      const time = requestTime(c);
      const origin = requestOrigin(c);
      try {
        if (code !== undefined) {
          const { key } = await consoleSecondFactor(challengeCookie().get(c), code, time, origin);
          challengeCookie().clear(c);
          setSession(c, key);
          return seeOther(c, CONSOLE);
        }
        let email: string;
        try {
          email = normalizeEmail(rawEmail);
        } catch {
          return c.html(passwordForm(c, WRONG, rawEmail), 401);
        }
        const outcome = await consoleLogin(email, password, time, origin, limitPerIp(c, 'login'));
        if ('challenge' in outcome) {
          challengeCookie().set(c, outcome.challenge, CHALLENGE_SECONDS);
          return c.html(codeForm(c));
        }
        setSession(c, outcome.key);
        return seeOther(c, CONSOLE);
      } catch (err) {
        if (err instanceof SecondFactorRequiredError) return c.html(codeForm(c, err.message), 400);
        if (err instanceof InvalidTokenError) {
          challengeCookie().clear(c);
          return c.html(passwordForm(c, err.message), 400);
        }
        if (err instanceof AccountSuspendedError) return c.html(passwordForm(c, err.message), 403);
        if (err instanceof AuthenticationError)
          return c.html(
            passwordForm(
              c,
              err.message === new AuthenticationError().message ? WRONG : err.message,
              rawEmail,
            ),
            401,
          );
        if (err instanceof ConflictError) return c.html(passwordForm(c, err.message), 409);
        if (err instanceof RateLimitedError)
          return c.html(passwordForm(c, retryLater(c, err), rawEmail), 429);
        throw err;
      }
    },
  );

export const handler = handle(app);
