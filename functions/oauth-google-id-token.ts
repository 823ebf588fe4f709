// POST /api/oauth/google/id_token {id_token, mfa_token?}: for web clients that already hold a
// Google ID token (Google Identity Services). The same checks as the browser flow but the nonce,
// which this server did not issue; the same answers: 200 with a key, 303 when MFA wants a code.
import { googleConfig } from '#adapters/google-config.ts';
import { verifyIdToken } from '#adapters/google-oidc.ts';
import { ConflictError } from '#domain/errors.ts';
import { createApp } from '#http/app.ts';
import { jsonBody, optionalString, string } from '#http/body.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestOrigin, requestTime } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { googleLogin, SIGN_IN_CHANGED } from '#services/google-sign-in.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'Log in with a Google ID token: a new API key',
    description:
      'For web clients holding an ID token from Google Identity Services: it must be signed by Google (RS256), issued to this server’s client id, unexpired and carry a verified address; no nonce is checked. The account is found by Google subject, then by address: a confirmed account is linked (its owner is mailed), an unconfirmed one is confirmed and its password discarded (mailed too). With MFA on, send mfa_token as well.',
    responses: {
      200: 'The account’s address and a new API key',
      303: 'MFA is on and mfa_token is missing, wrong or used already (errors.mfa_token says which): send again with one',
      401: 'The ID token does not check out (signature, algorithm, issuer, audience, expiry) or Google has not verified its address; no account uses this Google account or its address; or the account is being deleted',
      403: 'An operator suspended the account: contact support',
      409: 'The account changed during sign-in (a parallel sign-in linked it, MFA was turned on, or an unconfirmed account being claimed changed): try again',
      429: 'Over 60 requests a minute from this IP to login and the Google sign-in routes together, or (MFA on) too many failed logins or codes for this address lately (Retry-After says when to try again)',
      501: 'Google sign-in is not configured on this server',
    },
    data: {
      type: 'object',
      required: ['email', 'key'],
      additionalProperties: false,
      properties: {
        email: { type: 'string' },
        key: { type: 'string', description: 'A new API key, shown this once' },
      },
    },
  },
};

export const app = createApp().post(
  '/api/oauth/google/id_token',
  jsonBody({ id_token: string(8192), mfa_token: optionalString(64) }),
  async (c) => {
    googleConfig(); // 501 where Google is not configured, before anything is counted
    await limitPerIp(c, 'login');
    const identity = await verifyIdToken(c.var.body.id_token, { nonce: 'not issued' });
    // A parallel sign-in linking the account first, or MFA going on meanwhile, is a 409
    // (ChangedMeanwhileError): a retry sorts it out.
    const result = await googleLogin(
      identity,
      { mfaToken: c.var.body.mfa_token },
      requestTime(c),
      requestOrigin(c),
    );
    // Without waitForBrowser, MFA answers 303 rather than nothing.
    if (!result) throw new ConflictError(SIGN_IN_CHANGED);
    return c.json({ data: result });
  },
);

export const handler = handle(app);
