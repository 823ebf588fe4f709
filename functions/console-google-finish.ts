// GET /console/login/google/finish: where the callback sends a console's Google sign-in once
// Google's answer checked out in the browser that started it. The browser's cookie collects the
// session: the same Google login as the terminal's (google-sign-in.ts), whose key becomes the
// console session; with MFA on, a form asks for the code, and POST brings it. The page says only
// what is true: no account, an account being deleted or suspended, a sign-in gone.
import type { Context } from 'hono';
import {
  AccountSuspendedError,
  AuthenticationError,
  ConflictError,
  RateLimitedError,
  SecondFactorRequiredError,
} from '#domain/errors.ts';
import { CONSOLE_SIGN_IN_GONE } from '#domain/messages.ts';
import { createApp } from '#http/app.ts';
import { formBody, optionalString } from '#http/body.ts';
import {
  CONSOLE,
  consolePage,
  GOOGLE_FINISH,
  LOGIN_PAGE,
  notFromConsole,
  postedFromConsole,
  problemBanner,
  retryLater,
  SIGNUP_PAGE,
  seeOther,
  setSession,
} from '#http/console.ts';
import { consoleGoogleCookie } from '#http/console-google.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestOrigin, requestTime } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { finishConsoleGoogle } from '#services/console-google.ts';
import { NO_GOOGLE_ACCOUNT } from '#services/google-sign-in.ts';

const NO_ACCOUNT =
  'No Gatehouse account uses this Google account or its address. Create an account first, or sign in with your password.';

const codeForm = (c: Context, problem?: string) =>
  consolePage(
    c,
    'Your second factor',
    `${problemBanner(problem)}<p>Google confirmed who you are. Multi-factor authentication is on for this account.</p>
<form method="post" action="${GOOGLE_FINISH}">
<p><label for="code">Code from your authenticator app, or a recovery code</label>
<input id="code" name="code" autocomplete="one-time-code" inputmode="text" maxlength="64" required autofocus></p>
<button type="submit">Continue</button>
</form>
<p class="muted">This sign-in is good for ten minutes from the start; after that, sign in again.</p>`,
  );

/** The sign-in ended without a session: what is true, and where to go from here. */
function ended(c: Context, title: string, message: string, status: 401 | 403 | 409): Response {
  consoleGoogleCookie().clear(c);
  const signUp = message === NO_ACCOUNT ? ` · <a href="${SIGNUP_PAGE}">Create an account</a>` : '';
  return c.html(
    consolePage(
      c,
      title,
      `${problemBanner(message)}<p><a href="${LOGIN_PAGE}">Back to sign in</a>${signUp}</p>`,
    ),
    status,
  );
}

async function finish(c: Context, code: string | undefined): Promise<Response> {
  const session = consoleGoogleCookie().get(c);
  // Nothing to collect in this browser: said before anything is counted or read.
  if (session === undefined) return ended(c, 'Not signed in', CONSOLE_SIGN_IN_GONE, 401);
  try {
    await limitPerIp(c, 'login');
    const outcome = await finishConsoleGoogle(session, code, requestTime(c), requestOrigin(c));
    if ('needsCode' in outcome) return c.html(codeForm(c));
    consoleGoogleCookie().clear(c);
    setSession(c, outcome.key);
    return seeOther(c, CONSOLE);
  } catch (err) {
    if (err instanceof SecondFactorRequiredError) return c.html(codeForm(c, err.message), 400);
    if (err instanceof RateLimitedError) {
      const message = retryLater(c, err);
      return c.html(
        code === undefined
          ? consolePage(c, 'Sign in with Google', problemBanner(message))
          : codeForm(c, message),
        429,
      );
    }
    if (err instanceof AccountSuspendedError) return ended(c, 'Not signed in', err.message, 403);
    if (err instanceof AuthenticationError)
      return ended(c, 'Not signed in', err.message === NO_GOOGLE_ACCOUNT ? NO_ACCOUNT : err.message, 401);
    if (err instanceof ConflictError) return ended(c, 'Not signed in', err.message, 409);
    throw err;
  }
}

const OUTCOMES = {
  303: 'Signed in: to /console, the session cookie set (a key of kind browser, named "Web console", as at the password sign-in) and the Google cookie cleared',
  401: 'No live console sign-in in this browser (its cookie is missing, the session expired, was collected already, or is not back from Google yet); or no account uses this Google account or its address (the page links to signup), or the account is being deleted',
  403: 'An operator suspended the account',
  409: 'The account changed during the sign-in (another tab collected it, MFA went on, or a parallel sign-in linked it): sign in again',
} as const;

export const doc: EndpointDoc = {
  get: {
    summary: 'The web console: back from Google',
    description:
      'Where /oauth/google/callback sends a console’s Google sign-in, in the browser that started it (its cookie holds the session). Signs in as the terminal’s Google login does: the account linked to the Google identity, or else the one with the address Google verified (an unconfirmed one is confirmed and claimed, as at the API). With MFA on, a form asks for the code.',
    responses: {
      ...OUTCOMES,
      200: 'MFA is on: the form for the code or a recovery code',
      429: 'Over 60 requests a minute from this IP to the sign-in and Google routes together (Retry-After says when to try again)',
    },
    html: true,
  },
  post: {
    summary: 'The web console: back from Google, the second factor',
    description:
      'The code form of GET /console/login/google/finish: checked, counted and throttled as at a login; a wrong one leaves the sign-in for another try until it expires.',
    responses: {
      ...OUTCOMES,
      400: 'The code is wrong, used already or missing: the form again',
      403: 'Not posted from this console (another site, by its Origin or Sec-Fetch-Site); or an operator suspended the account',
      429: 'Too many sign-ins from this IP, or failed logins for this address (Retry-After says when to try again): the form again',
    },
    html: true,
  },
};

export const app = createApp()
  .get(GOOGLE_FINISH, (c) => finish(c, undefined))
  .post(GOOGLE_FINISH, formBody({ code: optionalString(64) }), (c) => {
    if (!postedFromConsole(c)) return notFromConsole(c);
    const { code } = c.var.body;
    return code === undefined ? c.html(codeForm(c, 'Enter a code.'), 400) : finish(c, code);
  });

export const handler = handle(app);
