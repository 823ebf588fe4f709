// GET /api/oauth/google/{session}: the client's poll. 204 while the user is still at Google; then,
// for a login, 200 with a new key (handed out once: the session ends in the key's transaction), or
// 303 when MFA wants a code (the client polls again with ?mfa_token=); for a signup, 200 with the
// proven address, and the staged signup goes on at its tier step with `uuid`. 404 once the session
// is unknown, finished or expired; 400 for what cannot be a session id.
import { handle } from 'hono/aws-lambda';
import { requestOrigin } from '#lib/audit.ts';
import { isTransactionCanceled } from '#lib/data/client.ts';
import { endOAuthSession, getOAuthSession } from '#lib/data/oauth.ts';
import { startGoogleSignup } from '#lib/data/signups.ts';
import { ValidationError } from '#lib/domain/errors.ts';
import { digest, looksLikeToken, nowSeconds } from '#lib/domain/tokens.ts';
import { SIGN_IN_GONE } from '#lib/google-flow.ts';
import { googleAddress, googleLogin } from '#lib/google-sign-in.ts';
import { createApp } from '#lib/http/app.ts';
import { general, HttpError } from '#lib/http/errors.ts';
import { limitPerIp } from '#lib/http/throttle.ts';

const gone = () => new HttpError(404, general(SIGN_IN_GONE));

export const app = createApp().get('/api/oauth/google/:session', async (c) => {
  const id = c.req.param('session');
  if (!looksLikeToken(id)) throw new HttpError(400, { session: ['is not a session id'] });
  await limitPerIp(c, 'oauth-poll');
  const now = nowSeconds();
  const sessionHash = digest(id);
  const session = await getOAuthSession(sessionHash, now);
  if (!session) throw gone();
  if (session.status !== 'complete' || !session.sub || !session.email) return c.body(null, 204);
  const identity = { sub: session.sub, email: session.email };
  if (session.purpose === 'login') {
    try {
      const result = await googleLogin(identity, c.req.query('mfa_token'), now, requestOrigin(c), [
        endOAuthSession(sessionHash),
      ]);
      return c.json({ data: result });
    } catch (err) {
      // Another poll of the same session took the key.
      if (isTransactionCanceled(err)) throw gone();
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
