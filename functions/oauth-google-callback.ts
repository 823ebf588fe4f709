// /oauth/google/callback: where Google sends the browser back. GET exchanges Google's code,
// verifies the ID token, gives the browser a secret (a cookie) and asks for the code the terminal
// shows, or, for a login just started from a network the account has logged in from, for one
// press of a button (no code to copy); POST takes that, from that browser and that
// page only, and completes the session.
// Without the code, anyone could start a sign-in, send the URL to someone else and collect their
// key by polling; without the cookie and the origin check, they could type the code themselves, or
// have a page of theirs post it from the victim's browser. Nothing here logs anyone in: the
// client's poll does, with the session id only it holds.
// A console sign-in (its browser started it and keeps the session id in a cookie) is checked for
// that cookie before Google's code is spent, and sent on to the console, which signs it in.
import type { Context } from 'hono';
import {
  AccountSuspendedError,
  AuthenticationError,
  ForbiddenError,
  InvalidTokenError,
  RateLimitedError,
  SecondFactorRequiredError,
  UpstreamError,
} from '#domain/errors.ts';
import { ACCOUNT_DELETING, ACCOUNT_SUSPENDED, CONSOLE_SIGN_IN_GONE } from '#domain/messages.ts';
import { parseState } from '#domain/oauth.ts';
import { digest } from '#domain/tokens.ts';
import { createApp } from '#http/app.ts';
import { formBody, optionalString, string } from '#http/body.ts';
import { clientIp } from '#http/client-ip.ts';
import { consoleGoogleCookie } from '#http/console-google.ts';
import { GOOGLE_FINISH, LOGIN_PAGE } from '#http/console-paths.ts';
import { browserCookie, fromOwnPage, SAME_ORIGIN_REFERRER } from '#http/csrf.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { page, throttledPage } from '#http/token-page.ts';
import { auditLog } from '#services/audit.ts';
import {
  type CallbackResult,
  confirmGoogleFlow,
  OTHER_BROWSER,
  OTHER_CONSOLE_BROWSER,
  SIGN_IN_GONE,
  secondFactorInBrowser,
  verifyGoogleCallback,
} from '#services/google-flow.ts';
import { type GoogleOutlook, googleLoginOutlook, NO_GOOGLE_ACCOUNT } from '#services/google-sign-in.ts';
import { config } from '#shared/config.ts';
import { escapeHtml } from '#shared/html.ts';
import { log } from '#shared/log.ts';

const MAX_PARAM = 2048;
const PATH = '/oauth/google/callback';

/**
 * The browser's cookie for the session `state` names: named after it, so that two sign-ins in one
 * browser (two terminals) each keep their own.
 */
const sessionCookie = (state: string) =>
  browserCookie(
    `gatehouse-google-${parseState(state)?.sessionHash.slice(0, 16) ?? 'none'}`,
    config().publicBaseUrl,
    PATH,
  );

/** A form page: its post must carry its true Origin, hence its referrer policy. */
function formPage(c: Context, html: string, status: 200 | 400 = 200): Response {
  c.header('Referrer-Policy', SAME_ORIGIN_REFERRER);
  return c.html(html, status);
}

const otherBrowser = (c: Context) =>
  c.html(page('Finish in your own browser', `<p>${escapeHtml(OTHER_BROWSER)}</p>`), 403);

const codeForm = (state: string, problem?: string) =>
  page(
    'Enter the code from your terminal',
    `${problem ? `<p><strong>${escapeHtml(problem)}</strong></p>\n` : ''}<p>Google confirmed who you are. To finish, type the code your terminal shows.</p>
<form method="post" action="callback">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label for="code">Code</label>
<input id="code" name="code" autocomplete="off" autocapitalize="characters" required autofocus>
<button type="submit">Continue</button>
</form>
<p class="muted">Your terminal printed the code with the sign-in link: the gatehouse CLI above the link, the Gigalixir CLI on the line under it. A login started just now from a network this account has logged in from before gets one button here instead.</p>
<p class="muted">Only continue if you started this sign-in yourself, just now, in your own terminal. If someone sent you this link, close this page: they would be signed in to your account.</p>`,
    SAME_ORIGIN_REFERRER,
  );

/** MFA is on: the same page takes the second factor, so the poll needs none (the Gigalixir CLI). */
const mfaForm = (state: string, problem?: string) =>
  page(
    'Enter a code from your authenticator app',
    `${problem ? `<p><strong>${escapeHtml(problem)}</strong></p>\n` : ''}<p>Google confirmed who you are. Multi-factor authentication is on for this account: type the code from your authenticator app, or a recovery code, to finish signing in your terminal.</p>
<form method="post" action="callback">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label for="mfa_token">Code</label>
<input id="mfa_token" name="mfa_token" autocomplete="one-time-code" autocapitalize="none" required autofocus>
<button type="submit">Finish signing in</button>
</form>
<p class="muted">Only continue if you started this sign-in yourself, just now, in your own terminal.</p>`,
    SAME_ORIGIN_REFERRER,
  );

/** Hours and minutes, UTC: what a person reads on the page to recognise their own terminal. */
const clock = (epochSeconds: number) => `${new Date(epochSeconds * 1000).toISOString().slice(11, 16)} UTC`;

/** For a login just started from the account's own network, one button stands for the code. */
const confirmForm = (state: string, startedAt: number) =>
  page(
    'Sign in to your terminal',
    `<p>Google confirmed who you are. A terminal on this network asked to sign in at ${clock(startedAt)}.</p>
<form method="post" action="callback">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<button type="submit">Sign in to the terminal that asked at ${clock(startedAt)} from this network</button>
</form>
<p class="muted">Only continue if you started this sign-in yourself, just now, in your own terminal. If someone sent you this link, close this page: they would be signed in to your account.</p>`,
    SAME_ORIGIN_REFERRER,
  );

/** What the terminal will meet, said plainly (the poll decides; this only tells the truth of it). */
const DONE: Record<GoogleOutlook | 'signup' | 'unknown', string> = {
  // With the terminal's code; finished with the button, the page asks for it instead (mfaForm).
  'needs-code':
    'Return to your terminal: MFA is on for this account, so it asks for a code from your authenticator app (or a recovery code) to finish.',
  unknown: 'Return to your terminal: it says whether you are logged in. You can close this page.',
  signup: 'Return to your terminal to finish your signup there. You can close this page.',
  ready: 'Return to your terminal: you are logged in there. You can close this page.',
  'no-account': NO_GOOGLE_ACCOUNT,
  deleting: ACCOUNT_DELETING,
  suspended: ACCOUNT_SUSPENDED,
};

/** The MFA form's post: the second factor for the terminal's login, from this browser only. */
async function giveSecondFactor(c: Context, state: string, code: string): Promise<Response> {
  try {
    await secondFactorInBrowser(state, code, sessionCookie(state).get(c), requestNow(c), requestOrigin(c));
    sessionCookie(state).clear(c);
    return c.html(page('Signed in with Google', `<p>${escapeHtml(DONE.ready)}</p>`));
  } catch (err) {
    if (err instanceof SecondFactorRequiredError) return formPage(c, mfaForm(state, err.message), 400);
    return refusalPage(c, state, err);
  }
}

/**
 * Another browser's post (403, nothing spent), a suspended account (403), or a sign-in that is over
 * (401): else rethrown.
 */
function refusalPage(c: Context, state: string, err: unknown): Response {
  if (err instanceof AccountSuspendedError) {
    sessionCookie(state).clear(c);
    return c.html(page('Not signed in', `<p>${escapeHtml(err.message)}</p>`), 403);
  }
  if (err instanceof ForbiddenError) {
    auditLog({ name: 'oauth.failed', ...requestOrigin(c), detail: { reason: 'another browser' } });
    return otherBrowser(c);
  }
  if (!(err instanceof AuthenticationError)) throw err;
  sessionCookie(state).clear(c);
  return c.html(page('Google sign-in failed', `<p>${escapeHtml(err.message)}</p>`), 401);
}

/** The session is complete already: a failure to read what comes next must not say otherwise. */
async function outlookOf(identity: { sub: string; email: string }): Promise<GoogleOutlook | 'unknown'> {
  try {
    return await googleLoginOutlook(identity);
  } catch (err) {
    log.warn('google sign-in completed; what the terminal meets could not be read', { error: err });
    return 'unknown';
  }
}

/**
 * A person's browser is at the other end: the IP's ceiling and an unreachable Google answer with
 * a page too, saying what to do (`retry`), not with the API's JSON error.
 */
async function asPage(c: Context, retry: string, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof RateLimitedError) return throttledPage(c, err, retry);
    if (err instanceof UpstreamError) {
      return c.html(
        page('Google could not be reached', `<p>Nothing was lost. Wait a minute, then ${retry}.</p>`),
        502,
      );
    }
    throw err;
  }
}

/** The browser's console sign-in, if `state` is the one its cookie started (no read needed). */
function consoleSignIn(c: Context, state: string | undefined): string | undefined {
  const secret = consoleGoogleCookie().get(c);
  return secret !== undefined && state !== undefined && parseState(state)?.sessionHash === digest(secret)
    ? secret
    : undefined;
}

/** A console sign-in that did not come through: what happened, and the way back to the console. */
function consoleRefusal(c: Context, title: string, message: string, status: 400 | 401): Response {
  consoleGoogleCookie().clear(c);
  return c.html(
    page(title, `<p>${escapeHtml(message)}</p>\n<p><a href="${LOGIN_PAGE}">Back to sign in</a></p>`),
    status,
  );
}

export const doc: EndpointDoc = {
  get: {
    summary: 'Google sign-in callback: ask for the terminal’s code, or one button on the account’s network',
    description:
      'Where Google sends the browser back. Exchanges Google’s code, verifies the ID token for the session `state` names (for a console’s sign-in, only in the browser holding its cookie, checked first), and answers a form asking for the code the terminal shows, or a single button (no code to copy) when the sign-in is a login started in the last 3 minutes from the network (the IP, or IPv6 /64) the browser is on, which the account has logged in from (or reset its password from) in the last 90 days; never for a signup. The form posts to this path. Signs nobody in: the client’s poll collects the result.',
    html: true,
    query: {
      code: {
        description: 'Google’s authorization code (at most 2048 characters); needed unless `error` is set',
      },
      state: {
        description:
          'The state Gatehouse put in the authorization URL (at most 2048 characters); needed unless `error` is set',
      },
      error: { description: 'Set by Google when the user cancelled or the sign-in failed there' },
    },
    responses: {
      200: 'A form asking for the code the terminal shows, or, for a login just started from the account’s own network (see above), one button naming when the terminal asked; either sets a cookie named after the session (`__Host-gatehouse-google-` and 16 hex digits over HTTPS: HttpOnly, Secure, SameSite=Strict, for the rest of the session, at most 10 minutes) that the form’s post must bring back',
      303: 'A console’s sign-in (POST /console/login/google), back in the browser that started it (its `gatehouse-console-google` cookie holds the session): the session is complete, and the browser goes on to /console/login/google/finish',
      403: 'A console’s sign-in opened in a browser without its cookie (a callback URL sent to someone else: login CSRF): a page says to start again; Google’s code is not spent',
      400: 'The user cancelled at Google (`error` is set), or `code` or `state` is missing or over 2048 characters',
      401: 'The state names no pending session (unknown, expired, used already, or with another secret), Google refused the code, or the ID token does not check out (signature, issuer, audience, expiry, nonce, unverified address)',
      429: 'Over 60 requests a minute from this IP to login and the Google sign-in routes together: a page says to wait and reload',
      502: 'Google’s token endpoint could not be reached: a page says to wait and reload (Google’s code is not spent)',
    },
  },
  post: {
    summary: 'Google sign-in callback: the terminal’s code, or the button',
    description:
      'The forms of GET /oauth/google/callback, from the browser that was given its cookie, and from that page only. With `mfa_token` (the page’s second form, for a login to an account with MFA on): the second factor, checked and throttled as at a login and kept on the session, so the client’s poll needs none. Otherwise, the code the terminal shows completes the session (without a code, only where the page offered the button: a login started in the last 3 minutes from this network, which the account has logged in from), and the client’s next poll collects the result; the fifth wrong code ends the session.',
    html: true,
    responses: {
      200: 'The session is complete; the page says what the terminal will meet (logged in, no account for the address, or an account being deleted), or, MFA on, asks for the second factor on a second form; with `mfa_token`, the factor was right and the terminal is logged in at its next poll',
      400: 'The second factor is wrong or used already (its form again, with the message); the code is not the one the terminal shows, before the fifth wrong one; or no code was given where the button is not offered (a signup, another network, one the account never logged in from, or over 3 minutes after the terminal asked): the form again, with the message',
      403: 'Not posted by the browser that came back from Google (its cookie is missing or another’s), or from another site (`Sec-Fetch-Site` other than same-origin, or an `Origin` other than this API’s): nothing is spent; or, posting the second factor, an operator suspended the account meanwhile',
      401: 'The state names no session awaiting its code (unknown, expired, finished, or not yet through the callback) or has the wrong secret, or this was the fifth wrong code, which ends the session',
      429: 'Over 60 requests a minute from this IP to login and the Google sign-in routes together, or (the second factor) too many failed logins for the address from this source: a page says to wait and send the code again',
    },
  },
};

export const app = createApp()
  .get(PATH, async (c) => {
    const { code, state, error } = c.req.query();
    const inConsole = consoleSignIn(c, state);
    if (error !== undefined) {
      if (inConsole) return consoleRefusal(c, 'Sign-in cancelled', 'Google sign-in was cancelled.', 400);
      return c.html(
        page('Sign-in cancelled', '<p>Google sign-in was cancelled. Start again from your terminal.</p>'),
        400,
      );
    }
    if (!code || !state || code.length > MAX_PARAM || state.length > MAX_PARAM) {
      if (inConsole) return consoleRefusal(c, 'This link is incomplete', 'Google sent no code back.', 400);
      return c.html(page('This link is incomplete', '<p>Start again from your terminal.</p>'), 400);
    }
    return asPage(c, 'reload this page', async () => {
      await limitPerIp(c, 'login');
      const now = requestNow(c);
      let verified: CallbackResult;
      try {
        verified = await verifyGoogleCallback(state, code, now, clientIp(c), inConsole);
      } catch (err) {
        if (err instanceof ForbiddenError) {
          // A console's sign-in opened in a browser that did not start it: Google's code unspent.
          auditLog({ name: 'oauth.failed', ...requestOrigin(c), detail: { reason: 'another browser' } });
          return c.html(
            page('Finish in your own browser', `<p>${escapeHtml(OTHER_CONSOLE_BROWSER)}</p>`),
            403,
          );
        }
        if (!(err instanceof AuthenticationError)) throw err;
        auditLog({ name: 'oauth.failed', ...requestOrigin(c), detail: { reason: err.message } });
        if (inConsole) {
          const message = err.message === SIGN_IN_GONE ? CONSOLE_SIGN_IN_GONE : err.message;
          return consoleRefusal(c, 'Google sign-in failed', message, 401);
        }
        return c.html(page('Google sign-in failed', `<p>${escapeHtml(err.message)}</p>`), 401);
      }
      if (verified.purpose === 'console') return c.redirect(GOOGLE_FINISH, 303);
      sessionCookie(state).set(c, verified.browserSecret, verified.expiresAt - now);
      return formPage(
        c,
        verified.sameNetworkSince === undefined
          ? codeForm(state)
          : confirmForm(state, verified.sameNetworkSince),
      );
    });
  })
  .post(
    PATH,
    formBody({ state: string(MAX_PARAM), code: optionalString(32), mfa_token: optionalString(64) }),
    async (c) => {
      const { state, code, mfa_token } = c.var.body;
      return asPage(c, 'send the code again', async () => {
        await limitPerIp(c, 'login');
        if (!fromOwnPage(c, config().publicBaseUrl)) {
          auditLog({ name: 'oauth.failed', ...requestOrigin(c), detail: { reason: 'cross-site post' } });
          return otherBrowser(c);
        }
        if (mfa_token !== undefined) return giveSecondFactor(c, state, mfa_token);
        try {
          const done = await confirmGoogleFlow(
            state,
            code,
            sessionCookie(state).get(c),
            requestNow(c),
            clientIp(c),
          );
          const outlook =
            done.purpose === 'signup' || !done.identity ? 'signup' : await outlookOf(done.identity);
          // Finished with the button, this page asks for the factor (its cookie stays for the post).
          if (outlook === 'needs-code' && done.proof === 'network') return formPage(c, mfaForm(state));
          sessionCookie(state).clear(c);
          const title =
            outlook === 'no-account' || outlook === 'deleting' || outlook === 'suspended'
              ? 'Not signed in'
              : 'Signed in with Google';
          return c.html(page(title, `<p>${escapeHtml(DONE[outlook])}</p>`));
        } catch (err) {
          if (err instanceof InvalidTokenError) return formPage(c, codeForm(state, err.message), 400);
          return refusalPage(c, state, err);
        }
      });
    },
  );

export const handler = handle(app);
