// POST /api/oauth/google/id_token {id_token, mfa_token?}: for web clients that already hold a
// Google ID token (Google Identity Services). The same checks as the browser flow but the nonce,
// which this server did not issue; the same answers: 200 with a key, 303 when MFA wants a code.
import { handle } from 'hono/aws-lambda';
import { requestOrigin } from '#lib/audit.ts';
import { isTransactionCanceled } from '#lib/data/client.ts';
import { ConflictError } from '#lib/domain/errors.ts';
import { nowSeconds } from '#lib/domain/tokens.ts';
import { googleConfig, verifyIdToken } from '#lib/google.ts';
import { googleLogin } from '#lib/google-sign-in.ts';
import { createApp } from '#lib/http/app.ts';
import { jsonBody, optionalString, string } from '#lib/http/body.ts';
import { limitPerIp } from '#lib/http/throttle.ts';

export const app = createApp().post(
  '/api/oauth/google/id_token',
  jsonBody({ id_token: string(8192), mfa_token: optionalString(64) }),
  async (c) => {
    googleConfig(); // 501 where Google is not configured, before anything is counted
    await limitPerIp(c, 'login');
    const identity = await verifyIdToken(c.var.body.id_token, { nonce: 'not issued' });
    try {
      const result = await googleLogin(identity, c.var.body.mfa_token, nowSeconds(), requestOrigin(c));
      return c.json({ data: result });
    } catch (err) {
      // A parallel sign-in linked the account first, or MFA went on meanwhile: a retry sorts it out.
      if (isTransactionCanceled(err))
        throw new ConflictError('The account changed during sign-in. Try again.');
      throw err;
    }
  },
);

export const handler = handle(app);
