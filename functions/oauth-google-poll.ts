// GET /api/oauth/google/{session}: the client's poll. 204 while the user is still at Google; then,
// for a login, 200 with a new key (handed out once: the session ends in the key's transaction); with
// MFA on, 303 until ?mfa_token= brings a right code, or, for a sign-in finished with the callback
// page's one button, 204 until that page has the code; for a signup, 200 with the
// proven address, and the staged signup goes on at its tier step with `uuid`. 404 once the session
// is unknown, finished or expired; 400 for what cannot be a session id.
import { endOAuthSession, getOAuthSession } from '#data/oauth.ts';
import { startGoogleSignup } from '#data/signups.ts';
import { ChangedMeanwhileError, SecondFactorRequiredError, ValidationError } from '#domain/errors.ts';
import { digest, looksLikeToken } from '#domain/tokens.ts';
import { createApp } from '#http/app.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { general, HttpError } from '#http/errors.ts';
import { handle } from '#http/lambda.ts';
import { requestNow, requestOrigin, requestTime } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { SIGN_IN_GONE } from '#services/google-flow.ts';
import { googleAddress, googleLogin } from '#services/google-sign-in.ts';

const gone = () => new HttpError(404, general(SIGN_IN_GONE));

/**
 * Beside `mfa_token`'s message when a poll brought none, for a client that reads only the general
 * one (the Gigalixir CLI, which cannot send a code with its poll) to say what does work.
 */
export const NO_CODE_AT_THIS_TERMINAL =
  'Multi-factor authentication is on for this account, and this terminal sent no code from your authenticator app. If it cannot send one, log in with your password instead (the terminal asks for the code), or with Google from a network this account has logged in from, where the page asks for it.';

export const doc: EndpointDoc = {
  get: {
    summary: 'Poll a Google sign-in',
    description:
      'Poll every few seconds with the session id from POST /api/oauth/google (or from a Google signup) until the user is through Google and has typed the terminal’s code. For a login, the answer is a new API key, handed out once: the session ends with it. For a signup, it is the proven address, and the signup goes on at its tier step with its `uuid`. When the account has MFA on, poll with `mfa_token` (303 without one or with a wrong one); for a sign-in finished with the callback page’s one button (a client that shows no code, such as the Gigalixir CLI), that page asks for the code instead and the poll answers 204 until it has it. Wrong codes count toward the login throttle of the address.',
    params: {
      session:
        'The session id from POST /api/oauth/google or the Google signup step (43 base64url characters)',
    },
    query: {
      mfa_token: {
        description:
          'A code from the authenticator app or a recovery code, for a login to an account with MFA on',
      },
    },
    responses: {
      200: 'Login: the account’s address and a new API key. Signup: the address Google proved',
      204: 'The user is not through Google yet, or has not typed the terminal’s code on the callback page; or (MFA on, the sign-in finished with the button, no mfa_token) the page has not had the second factor yet',
      303: 'A login to an account with MFA on, and mfa_token is missing (unless the page is asking for it), wrong or used already (errors.mfa_token says which): poll again with one. Without one, `errors[""]` also says what a terminal that cannot send a code can do instead',
      400: 'The session id is not 43 base64url characters; or, for a signup, Google proved an address Gatehouse does not take',
      401: 'A login, and no account uses this Google account or its address, or the account is being deleted',
      403: 'A login, and an operator suspended the account: contact support',
      404: 'The session is unknown, expired, ended by five wrong terminal codes, or finished already (its result was handed out, possibly to a parallel poll)',
      409: 'A login that claims an unconfirmed account, and the account changed meanwhile: poll again',
      429: 'Over 120 polls a minute from this IP, or (MFA on) too many failed logins or codes for this address lately (Retry-After says when to try again)',
    },
    data: {
      type: 'object',
      required: ['email'],
      additionalProperties: false,
      properties: {
        email: {
          type: 'string',
          description: 'The account’s address (login) or the address Google proved (signup)',
        },
        key: { type: 'string', description: 'Login only: a new API key, shown this once' },
      },
    },
  },
};

export const app = createApp().get('/api/oauth/google/:session', async (c) => {
  const id = c.req.param('session');
  if (!looksLikeToken(id)) throw new HttpError(400, { session: ['is not a session id'] });
  await limitPerIp(c, 'oauth-poll');
  const now = requestNow(c);
  const sessionHash = digest(id);
  const session = await getOAuthSession(sessionHash, now);
  // A console sign-in is its browser's to finish (the id is in its cookie): never handed out here.
  if (!session || session.purpose === 'console') throw gone();
  if (session.status !== 'complete' || !session.sub || !session.email) return c.body(null, 204);
  const identity = { sub: session.sub, email: session.email };
  if (session.purpose === 'login') {
    try {
      const result = await googleLogin(
        identity,
        {
          mfaToken: c.req.query('mfa_token'),
          fromBrowser: session.mfaPassed,
          // Finished with the button, the page asks for the factor; with the code, the terminal does.
          waitForBrowser: session.terminalProof === 'network',
        },
        requestTime(c),
        requestOrigin(c),
        { alsoWrite: [endOAuthSession(sessionHash)] },
      );
      // MFA is on and the callback page is asking for the code: still waiting, as for Google.
      if (!result) return c.body(null, 204);
      return c.json({ data: result });
    } catch (err) {
      // Another poll of the same session took the key.
      if (err instanceof ChangedMeanwhileError) throw gone();
      if (err instanceof SecondFactorRequiredError && !c.req.query('mfa_token')) {
        throw new HttpError(303, { mfa_token: [err.message], ...general(NO_CODE_AT_THIS_TERMINAL) });
      }
      throw err;
    }
  }
  const email = googleAddress(identity);
  if (!email) throw new ValidationError('email', 'Google gave an address Gatehouse cannot take');
  if (
    !session.signupUuid ||
    !(await startGoogleSignup(session.signupUuid, { ...identity, email }, endOAuthSession(sessionHash), now))
  ) {
    throw gone();
  }
  return c.json({ data: { email } });
});

export const handler = handle(app);
