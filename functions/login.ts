// GET /api/login with Basic `email:password` (and `?mfa_token=` when MFA is on): mints a new API key. Every wrong credential gets
// the same 401; an unknown address still pays for a hash, and every refusal leaves no sooner than
// the enumeration floor, so timing does not tell either.

import { createApp } from '#http/app.ts';
import { passwordCredentials } from '#http/auth.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestOrigin, requestTime } from '#http/request.ts';
import { limitPerIp } from '#http/throttle.ts';
import { failureFloor } from '#http/timing.ts';
import { finishLogin, passPassword } from '#services/password-login.ts';
import { requireSecondFactor } from '#services/second-factor.ts';

export const doc: EndpointDoc = {
  get: {
    summary: 'Log in: a new API key',
    description:
      'Basic `email:password` mints a new API key (an account keeps at most 50: the oldest is revoked). With MFA on, a request without `mfa_token` is answered 303 and not counted as a failure: ask for a code and send it again with it. Failed logins are counted per address and source (the IP, or an IPv6 /64): after 5 in a row from one source each further attempt from it, even with the right password, waits 2 s, then 4 s, ... up to 15 minutes. After 50 wrong passwords from all sources together, sources that have never logged in to the address (nor reset its password) get one password checked between them every 15 minutes; those that have keep their own budget, so a stranger’s guesses never keep the owner out. A refused attempt is not counted for the address and does not prolong its wait; every refusal takes at least 300 ms.',
    auth: 'password',
    query: {
      mfa_token: {
        description:
          'A current code from the authenticator app, or an unused recovery code: needed when MFA is on',
      },
    },
    responses: {
      200: 'The new API key',
      303: 'The password is right and MFA is on, but mfa_token is missing or empty, or wrong, used already or over 64 characters (errors.mfa_token says which; no Location)',
      400: 'Malformed Authorization header',
      401: 'No Basic credentials, a user part that is not an email address, an unknown address or a wrong password; or, with the right password, an address not confirmed yet or an account being deleted',
      403: 'The right password, but an operator suspended the account: contact support (asked before any second factor)',
      409: 'The account changed during the login (MFA switched on or off, a deletion requested, or the account suspended): log in again',
      429: 'Too many logins from this IP (60 a minute); too many failed logins for this address from this source (5); or over 50 wrong passwords from every source together, for a source this address has never logged in from (one check every 15 minutes; Retry-After says when to try again)',
    },
    data: {
      type: 'object',
      required: ['key'],
      additionalProperties: false,
      properties: { key: { type: 'string', description: 'The API key: send it as Bearer' } },
    },
  },
};

export const app = createApp().get('/api/login', failureFloor(), async (c) => {
  const { email, password } = passwordCredentials(c);
  const time = requestTime(c);
  const origin = requestOrigin(c);
  const passed = await passPassword(email, password, time, origin, limitPerIp(c, 'login'));
  const secondFactor = passed.user.mfaEnabled
    ? await requireSecondFactor(passed.user, c.req.query('mfa_token'), time.now, origin, passed.attempt)
    : undefined;
  const key = await finishLogin(passed, { secondFactor, password }, time, origin);
  return c.json({ data: { key: key.key } });
});

export const handler = handle(app);
