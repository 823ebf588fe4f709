// POST /api/oauth/google: starts a Google login for a client that polls (the CLI's
// `gatehouse login:google`): 201 with the URL to open in a browser, the session to poll, and the
// code the terminal shows, which the user types into the page after Google.
import { handle } from 'hono/aws-lambda';
import { nowSeconds } from '#lib/domain/tokens.ts';
import { googleConfig } from '#lib/google.ts';
import { startGoogleFlow } from '#lib/google-flow.ts';
import { createApp } from '#lib/http/app.ts';
import { optionalJsonBody } from '#lib/http/body.ts';
import { limitPerIp } from '#lib/http/throttle.ts';

export const app = createApp().post('/api/oauth/google', optionalJsonBody({}), async (c) => {
  googleConfig(); // 501 where Google is not configured, before anything is counted
  await limitPerIp(c, 'login');
  const { session, url, code } = await startGoogleFlow('login', nowSeconds());
  return c.json({ data: { url, session, code } }, 201);
});

export const handler = handle(app);
