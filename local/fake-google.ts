// A local stand-in for Google's OpenID provider, for `npm start` and the tests: an authorization
// page (type any address: no password, it is local), a token endpoint that checks what Google's
// checks (one use per code, client id and secret, redirect URI, the PKCE verifier) and a JWKS.
// ID tokens are RS256-signed with a key made at start by jose. `failNext(count)` makes the token
// endpoint drop the next requests unanswered (Google unreachable), for tests of outages. Never
// used by a deployed stack.
import { createHash, randomBytes } from 'node:crypto';
import { type HttpBindings, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { escapeHtml, htmlDocument } from '#shared/html.ts';

export interface FakeGoogle {
  readonly url: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** What the handlers read to use this provider instead of Google. */
  readonly environment: Record<string, string>;
  readonly publicJwk: JWK;
  /** An ID token signed with the provider's key: the claims a code would give, overridden. */
  signIdToken(claims: JWTPayload, header?: { alg?: string; kid?: string }): Promise<string>;
  /** A stable subject for an address, as Google keeps one per account. */
  subjectOf(email: string): string;
  /** The next `count` token requests get no answer: the connection is dropped, code unspent. */
  failNext(count?: number): void;
  stop(): Promise<void>;
}

interface Grant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly claims: JWTPayload;
}

const FIELDS = ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge'] as const;

export async function startFakeGoogle(port = 0): Promise<FakeGoogle> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomBytes(8).toString('hex');
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const clientId = 'gatehouse-local.apps.googleusercontent.com';
  const clientSecret = randomBytes(24).toString('base64url');
  const grants = new Map<string, Grant>();
  const subjectOf = (email: string) =>
    BigInt(`0x${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 15)}`).toString();
  let issuer = '';
  let dropping = 0;

  const sign = (claims: JWTPayload, header: { alg?: string; kid?: string } = {}) =>
    new SignJWT({ iss: issuer, aud: clientId, ...claims })
      .setProtectedHeader({ alg: header.alg ?? 'RS256', kid: header.kid ?? kid, typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(typeof claims.exp === 'number' ? claims.exp : '1h')
      .sign(privateKey);

  const app = new Hono<{ Bindings: HttpBindings }>()
    .get('/jwks', (c) => c.json({ keys: [publicJwk] }))
    .get('/authorize', (c) => {
      const q = c.req.query();
      const hidden = FIELDS.map(
        (f) => `<input type="hidden" name="${f}" value="${escapeHtml(q[f] ?? '')}">`,
      ).join('\n');
      return c.html(
        htmlDocument(
          'Sign in with Google (local stand-in)',
          `<h1>Sign in with Google</h1>
<p class="muted">Local stand-in for Google: any address signs in, as Google would after its own login.</p>
<form method="post" action="/authorize">
${hidden}
<label for="email">Email</label>
<input id="email" name="email" type="email" required autofocus>
<button type="submit">Continue</button>
</form>`,
        ),
      );
    })
    .post('/authorize', async (c) => {
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
      const email = form.email ?? '';
      const redirectUri = form.redirect_uri ?? '';
      if (form.client_id !== clientId || !redirectUri || !email) return c.text('bad request', 400);
      const code = randomBytes(24).toString('base64url');
      // Tests may override claims of the token this code will give (`claims` as JSON).
      const overrides = form.claims ? (JSON.parse(form.claims) as JWTPayload) : {};
      grants.set(code, {
        clientId,
        redirectUri,
        challenge: form.code_challenge ?? '',
        claims: { sub: subjectOf(email), email, email_verified: true, nonce: form.nonce, ...overrides },
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', form.state ?? '');
      return c.redirect(back.toString(), 302);
    })
    .post('/token', async (c) => {
      if (dropping > 0) {
        dropping--;
        c.env.incoming.socket.destroy();
        return c.body(null);
      }
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
      const grant = grants.get(form.code ?? '');
      grants.delete(form.code ?? '');
      const verifierOk =
        grant !== undefined &&
        createHash('sha256')
          .update(form.code_verifier ?? '')
          .digest('base64url') === grant.challenge;
      if (
        form.grant_type !== 'authorization_code' ||
        !grant ||
        form.client_id !== grant.clientId ||
        form.client_secret !== clientSecret ||
        form.redirect_uri !== grant.redirectUri ||
        !verifierOk
      ) {
        return c.json({ error: 'invalid_grant' }, 400);
      }
      return c.json({ id_token: await sign(grant.claims), token_type: 'Bearer', expires_in: 3600 });
    });

  const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, () => ready(s));
    s.once('error', fail);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  issuer = url;
  return {
    url,
    issuer,
    clientId,
    clientSecret,
    publicJwk,
    subjectOf,
    signIdToken: sign,
    failNext: (count = 1) => {
      dropping = count;
    },
    environment: {
      GOOGLE_CLIENT_ID: clientId,
      GOOGLE_CLIENT_SECRET: clientSecret,
      GOOGLE_AUTHORIZATION_ENDPOINT: `${url}/authorize`,
      GOOGLE_TOKEN_ENDPOINT: `${url}/token`,
      GOOGLE_JWKS_URI: `${url}/jwks`,
      GOOGLE_ISSUERS: url,
    },
    stop: () =>
      new Promise((done) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
