// POST /console/login/google: the sign-in page's "Sign in with Google". Makes a console sign-in's
// session, gives this browser its id in a cookie (the callback finishes only for the browser that
// holds it), and sends the browser to Google. A post from our own page only: no other site can
// start a sign-in in someone's browser.
import type { Context } from 'hono';
import { googleConfig } from '#adapters/google-config.ts';
import { OAUTH_SESSION_SECONDS } from '#domain/oauth.ts';
import { createApp } from '#http/app.ts';
import { formBody } from '#http/body.ts';
import { clientIp } from '#http/client-ip.ts';
import {
  consolePage,
  GOOGLE_START,
  LOGIN_PAGE,
  notFromConsole,
  pageProblem,
  postedFromConsole,
  problemBanner,
} from '#http/console.ts';
import { consoleGoogleCookie } from '#http/console-google.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { startConsoleGoogleFlow } from '#services/google-start.ts';

const refused = (c: Context, message: string) =>
  consolePage(
    c,
    'Sign in with Google',
    `${problemBanner(message)}<p><a href="${LOGIN_PAGE}">Back to sign in</a></p>`,
  );

export const doc: EndpointDoc = {
  post: {
    summary: 'The web console: sign in with Google (to Google)',
    description:
      'The sign-in page’s button. Makes a Google sign-in session (ten minutes), gives this browser its id in a cookie (`gatehouse-console-google`, `__Host-` over HTTPS: HttpOnly, SameSite=Lax so that it comes back with Google’s redirect), and sends the browser to Google’s authorization URL (state, nonce, PKCE S256). Google sends it back to /oauth/google/callback, which goes on to /console/login/google/finish only in the browser holding that cookie. Takes no fields (a form post with none).',
    responses: {
      303: 'To Google, the cookie set',
      400: 'The form is malformed (a field was sent: the button’s form has none): nothing made',
      403: 'Not posted from this console (another site, by its Origin or Sec-Fetch-Site): nothing made',
      429: 'Over 60 requests a minute from this IP to the sign-in and Google routes together: a page says when to try again',
      501: 'Google sign-in is not configured on this server: a page says so',
    },
    html: true,
  },
};

// The button's form has no fields: anything else sent is refused (400) before anything is made.
export const app = createApp().post(GOOGLE_START, formBody({}), async (c) => {
  if (!postedFromConsole(c)) return notFromConsole(c);
  try {
    googleConfig(); // 501 where Google is not configured, before anything is counted
    await limitPerIp(c, 'login');
    const { session, url } = await startConsoleGoogleFlow(requestNow(c), clientIp(c));
    consoleGoogleCookie().set(c, session, OAUTH_SESSION_SECONDS);
    return c.redirect(url, 303);
  } catch (err) {
    const problem = pageProblem(c, err);
    if (!problem || problem.status === 400 || problem.status === 409 || problem.status === 503) throw err;
    return c.html(refused(c, problem.message), problem.status);
  }
});

export const handler = handle(app);
