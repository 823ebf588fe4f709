// Starting a Google sign-in: a session (its id for the client to keep), Google's authorization
// URL (state, nonce, PKCE), and for a terminal the code it shows. A module of its own: starting
// checks no code, mails nobody and needs no client secret, and its routes get no such access.
import { googleConfig, googleRedirectUri } from '#adapters/google-config.ts';
import { createOAuthSession, type OAuthPurpose, type OAuthSession } from '#data/oauth.ts';
import {
  authorizationUrl,
  newPkce,
  newUserCode,
  OAUTH_SESSION_SECONDS,
  stateParam,
  userCodeDigest,
} from '#domain/oauth.ts';
import { loginSource } from '#domain/throttle.ts';
import { digest, newSecret } from '#domain/tokens.ts';

/** A new session: its id (for the client to keep, never in a URL) and Google's URL to open. */
async function openGoogleSession(
  purpose: OAuthPurpose,
  now: number,
  ip: string,
  extra: Pick<OAuthSession, 'userCodeHash' | 'wrongCodes' | 'signupUuid'> = {},
  session = newSecret(),
): Promise<{ session: string; url: string }> {
  const google = googleConfig();
  const sessionHash = digest(session);
  const stateSecret = newSecret();
  const nonce = newSecret();
  const pkce = newPkce();
  await createOAuthSession({
    sessionHash,
    purpose,
    status: 'pending',
    stateHash: digest(stateSecret),
    nonce,
    verifier: pkce.verifier,
    ...extra,
    startSource: loginSource(ip),
    startedAt: now,
    expiresAt: now + OAUTH_SESSION_SECONDS,
  });
  const url = authorizationUrl(google.authorizationEndpoint, {
    clientId: google.clientId,
    redirectUri: googleRedirectUri(),
    state: stateParam(sessionHash, stateSecret),
    nonce,
    challenge: pkce.challenge,
  });
  return { session, url };
}

/** A terminal's sign-in: the session to poll, the URL to open, and the code the terminal shows. */
export async function startGoogleFlow(
  purpose: 'login' | 'signup',
  now: number,
  ip: string,
  signupUuid?: string,
): Promise<{ session: string; url: string; code: string }> {
  const session = newSecret();
  const code = newUserCode();
  const extra = { userCodeHash: userCodeDigest(digest(session), code), wrongCodes: 0, signupUuid };
  return { ...(await openGoogleSession(purpose, now, ip, extra, session)), code };
}

/**
 * A console sign-in: the browser keeps the session id (a cookie, sent back to the callback), so
 * the callback knows the browser that comes back from Google is the one that started, and no code
 * is needed; a callback URL sent to someone else's browser finds no cookie there (login CSRF).
 */
export const startConsoleGoogleFlow = (now: number, ip: string): Promise<{ session: string; url: string }> =>
  openGoogleSession('console', now, ip);
