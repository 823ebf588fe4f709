// GET /oauth/google/callback?code&state: where Google sends the browser back. Exchanges the code,
// verifies the ID token and completes the session; the page sends the user back to the terminal.
// Nothing here logs anyone in: the client's poll does, with the session id only it holds.
import { handle } from 'hono/aws-lambda';
import { auditLog, requestOrigin } from '#lib/audit.ts';
import { AuthenticationError } from '#lib/domain/errors.ts';
import { nowSeconds } from '#lib/domain/tokens.ts';
import { completeGoogleFlow } from '#lib/google-flow.ts';
import { escapeHtml } from '#lib/html.ts';
import { createApp } from '#lib/http/app.ts';
import { limitPerIp } from '#lib/http/throttle.ts';
import { page } from '#lib/http/token-page.ts';

const MAX_PARAM = 2048;

export const app = createApp().get('/oauth/google/callback', async (c) => {
  const { code, state, error } = c.req.query();
  if (error !== undefined) {
    return c.html(
      page('Sign-in cancelled', '<p>Google sign-in was cancelled. Start again from your terminal.</p>'),
      400,
    );
  }
  if (!code || !state || code.length > MAX_PARAM || state.length > MAX_PARAM) {
    return c.html(page('This link is incomplete', '<p>Start again from your terminal.</p>'), 400);
  }
  await limitPerIp(c, 'login');
  try {
    const purpose = await completeGoogleFlow(state, code, nowSeconds());
    const next = purpose === 'signup' ? 'finish your signup' : 'you are logged in';
    return c.html(
      page(
        'Signed in with Google',
        `<p>Return to your terminal: ${escapeHtml(next)}. You can close this page.</p>`,
      ),
    );
  } catch (err) {
    if (!(err instanceof AuthenticationError)) throw err;
    auditLog({ name: 'oauth.failed', ...requestOrigin(c), detail: { reason: err.message } });
    return c.html(page('Google sign-in failed', `<p>${escapeHtml(err.message)}</p>`), 401);
  }
});

export const handler = handle(app);
