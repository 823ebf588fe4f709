// Signing in to the web console with Google: the browser started the flow and keeps its session id
// (a cookie); the callback completed the session once Google's answer came back to that browser
// (google-flow.ts). Here that browser collects it: the same Google login as the terminal's
// (google-sign-in.ts: linking, claiming, MFA counted and throttled), whose key becomes the
// browser's console session. The session ends in the key's transaction, so it is collected once.
import { endOAuthSession, getOAuthSession } from '#data/oauth.ts';
import { AuthenticationError } from '#domain/errors.ts';
import { CONSOLE_SIGN_IN_GONE } from '#domain/messages.ts';
import type { Origin, RequestTime } from '#domain/request.ts';
import { digest, looksLikeToken } from '#domain/tokens.ts';
import { consoleSessionTraits } from './console-login.ts';
import { googleLogin } from './google-sign-in.ts';

export type ConsoleGoogle =
  | { readonly key: string; readonly email: string }
  /** MFA is on: the page asks for a code (or a recovery code) and comes back with it. */
  | { readonly needsCode: true };

/**
 * The browser's session (`session`, from its cookie) collected: a console key, or, with MFA on
 * and no `code` yet, a request for one. A wrong code is SecondFactorRequiredError (the session
 * stays for another try, the throttle counting); a session unknown, expired, not yet back from
 * Google, or not a console's is an AuthenticationError.
 */
export async function finishConsoleGoogle(
  session: string | undefined,
  code: string | undefined,
  time: RequestTime,
  origin: Origin,
): Promise<ConsoleGoogle> {
  const sessionHash = session !== undefined && looksLikeToken(session) ? digest(session) : undefined;
  const found = sessionHash && (await getOAuthSession(sessionHash, time.now));
  if (
    !sessionHash ||
    !found ||
    found.purpose !== 'console' ||
    found.status !== 'complete' ||
    !found.sub ||
    !found.email
  )
    throw new AuthenticationError(CONSOLE_SIGN_IN_GONE);
  const result = await googleLogin(
    { sub: found.sub, email: found.email },
    { mfaToken: code, waitForBrowser: true },
    time,
    origin,
    { alsoWrite: [endOAuthSession(sessionHash)], traits: consoleSessionTraits(time.now) },
  );
  return result ?? { needsCode: true };
}
