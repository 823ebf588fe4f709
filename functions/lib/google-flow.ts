// The server-brokered browser flow for clients that cannot take a redirect (the CLI): start makes
// a session and Google's authorization URL; the callback exchanges the code and records the
// verified identity on the session; the client's poll (oauth-google-poll.ts) collects the result.
import {
  completeOAuthSession,
  createOAuthSession,
  getOAuthSession,
  type OAuthPurpose,
} from './data/oauth.ts';
import { AuthenticationError } from './domain/errors.ts';
import { authorizationUrl, newPkce, OAUTH_SESSION_SECONDS, parseState, stateParam } from './domain/oauth.ts';
import { digest, newSecret } from './domain/tokens.ts';
import { exchangeCode, googleConfig, googleRedirectUri, verifyIdToken } from './google.ts';

export const SIGN_IN_GONE =
  'This sign-in has expired or was finished already. Start again from your terminal.';

/** A new session: its id (for the client to poll with, never in a URL) and the URL to open. */
export async function startGoogleFlow(
  purpose: OAuthPurpose,
  now: number,
  signupUuid?: string,
): Promise<{ session: string; url: string }> {
  const google = googleConfig();
  const session = newSecret();
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
    signupUuid,
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

/** The callback: the state must be a live pending session's; the code is exchanged and checked. */
export async function completeGoogleFlow(state: string, code: string, now: number): Promise<OAuthPurpose> {
  const parsed = parseState(state);
  if (!parsed) throw new AuthenticationError(SIGN_IN_GONE);
  const session = await getOAuthSession(parsed.sessionHash, now);
  const stateHash = digest(parsed.stateSecret);
  if (session?.status !== 'pending' || session.stateHash !== stateHash || !session.verifier) {
    throw new AuthenticationError(SIGN_IN_GONE);
  }
  const identity = await verifyIdToken(await exchangeCode(code, session.verifier), session.nonce);
  if (!(await completeOAuthSession(parsed.sessionHash, stateHash, identity, now))) {
    throw new AuthenticationError(SIGN_IN_GONE);
  }
  return session.purpose;
}
