// POST /api/oauth/google: starts a Google login for a client that polls (the CLI's
// `gatehouse login:google`): 201 with the URL to open in a browser, the session to poll, and the
// code the terminal shows, which the user types into the page after Google.

import { googleConfig } from '#adapters/google-config.ts';
import { createApp } from '#http/app.ts';
import { optionalJsonBody } from '#http/body.ts';
import { clientIp } from '#http/client-ip.ts';
import type { EndpointDoc } from '#http/docs.ts';
import { handle } from '#http/lambda.ts';
import { requestNow } from '#http/request.ts';
import { terminalUrl } from '#http/terminal-start.ts';
import { limitPerIp } from '#http/throttle.ts';
import { startGoogleFlow } from '#services/google-start.ts';

export const doc: EndpointDoc = {
  post: {
    summary: 'Start a Google sign-in for a client that polls',
    description:
      'For clients that cannot take a redirect (the CLI): open `url` in a browser and show the user `code`, which the page asks for after Google; meanwhile poll GET /api/oauth/google/{session}. The session lasts ten minutes. Takes no body, or an empty JSON object.',
    responses: {
      201: 'The Google authorization URL to open, the session id to poll with (only the client holds it: keep it out of URLs), and the code the user must type on the page after Google',
      429: 'Over 60 requests a minute from this IP to login and the Google sign-in routes together (Retry-After says when to try again)',
      501: 'Google sign-in is not configured on this server',
    },
    data: {
      type: 'object',
      required: ['url', 'session', 'code'],
      additionalProperties: false,
      properties: {
        url: {
          type: 'string',
          description:
            'Google’s authorization URL (state, nonce, PKCE S256). For the Gigalixir CLI (`User-Agent: GigalixirCLI/…`), which prints this field alone, the URL is followed by a newline and a line naming `code`',
        },
        session: { type: 'string', description: 'The session id to poll with: 43 base64url characters' },
        code: { type: 'string', description: 'The code the terminal shows: `XXXX-XXXX`' },
      },
    },
  },
};

export const app = createApp().post('/api/oauth/google', optionalJsonBody({}), async (c) => {
  googleConfig(); // 501 where Google is not configured, before anything is counted
  await limitPerIp(c, 'login');
  const { session, url, code } = await startGoogleFlow('login', requestNow(c), clientIp(c));
  return c.json({ data: { url: terminalUrl(c, url, code), session, code } }, 201);
});

export const handler = handle(app);
