// The server-brokered browser flow for clients that cannot take a redirect (the CLI): the start
// (google-start.ts) made a session, Google's authorization URL and a code for the terminal to show; the callback exchanges
// Google's code and records the verified identity, with a secret it gives the browser (a cookie);
// that browser, and only it, then gives back the terminal's code (proof that the person at Google
// is the one at the terminal, not someone sent a link, nor a page of someone else's), or, for a
// login just started from a network the account has logged in from, presses one button (clients
// such as the Gigalixir CLI show no code); the client's poll (oauth-google-poll.ts) collects it.
// The web console's sign-in is the plain browser flow: the browser that started keeps the session
// id in a cookie, the callback checks it came back to that browser, and the console collects the
// result (console-google.ts).

import { exchangeCode, verifyIdToken } from '#adapters/google-oidc.ts';
import {
  confirmOAuthSession,
  countWrongUserCode,
  getOAuthSession,
  type OAuthPurpose,
  type OAuthSession,
  passOAuthSecondFactor,
  verifyOAuthSession,
} from '#data/oauth.ts';
import { AuthenticationError, ForbiddenError, InvalidTokenError } from '#domain/errors.ts';
import { MAX_WRONG_USER_CODES, ONE_BUTTON_SECONDS, parseState, userCodeDigest } from '#domain/oauth.ts';
import { loginSource } from '#domain/throttle.ts';
import { digest, newSecret } from '#domain/tokens.ts';
import { log } from '#shared/log.ts';
import { googleAccountTrusts, passGoogleSecondFactor } from './google-sign-in.ts';

export const SIGN_IN_GONE =
  'This sign-in has expired or was finished already. Start again from your terminal.';

export const OTHER_BROWSER =
  'This sign-in can only be finished in the browser that came back from Google, on the page Gatehouse showed it. Start again from your terminal.';

export const OTHER_CONSOLE_BROWSER =
  'This sign-in can only be finished in the browser it was started in. If you started it, sign in again from the console; if someone sent you this link, close this page.';

/**
 * One button may stand for the terminal's code only for a login the terminal asked for just now,
 * from the network (the IP, or /64) this browser is on, which the account has logged in from
 * before. Never for a signup: a link sent to a neighbour would tie the sender's new account to the
 * neighbour's Google identity. Nor on a network the account never used: a shared one (an office, a
 * VPN) proves only that the sender is near.
 */
async function buttonWillDo(
  session: OAuthSession,
  identity: { sub: string; email: string },
  ip: string,
  now: number,
): Promise<boolean> {
  const source = loginSource(ip);
  return (
    session.purpose === 'login' &&
    source !== undefined &&
    session.startSource === source &&
    session.startedAt !== undefined &&
    now - session.startedAt <= ONE_BUTTON_SECONDS &&
    // Asked after the callback's write: a failed read means the code, never a session left unusable.
    (await googleAccountTrusts(identity, ip, now).catch((error: unknown) => {
      log.warn('trusted source unread: asking for the code', { error });
      return false;
    }))
  );
}

/** What the callback found: a console sign-in is complete; a terminal's awaits its code. */
export type CallbackResult =
  | { readonly purpose: 'console' }
  | {
      readonly purpose: 'login' | 'signup';
      /** The secret for the browser to keep (a cookie) until `expiresAt`. */
      readonly browserSecret: string;
      readonly expiresAt: number;
      /** Set when the browser is on the network the terminal started from: when it asked. */
      readonly sameNetworkSince?: number;
    };

/**
 * The callback: the state must be a live pending session's, and a console sign-in's browser must
 * bring back its session id (`consoleSession`, its cookie) before anything is spent; Google's code
 * is then exchanged and checked.
 */
export async function verifyGoogleCallback(
  state: string,
  code: string,
  now: number,
  ip: string,
  consoleSession?: string,
): Promise<CallbackResult> {
  const parsed = parseState(state);
  if (!parsed) throw new AuthenticationError(SIGN_IN_GONE);
  const session = await getOAuthSession(parsed.sessionHash, now);
  const stateHash = digest(parsed.stateSecret);
  if (
    session?.status !== 'pending' ||
    session.stateHash !== stateHash ||
    !session.verifier ||
    !session.nonce
  ) {
    throw new AuthenticationError(SIGN_IN_GONE);
  }
  const inConsole = session.purpose === 'console';
  if (inConsole && (consoleSession === undefined || digest(consoleSession) !== parsed.sessionHash))
    throw new ForbiddenError(OTHER_CONSOLE_BROWSER);
  const identity = await verifyIdToken(await exchangeCode(code, session.verifier), { nonce: session.nonce });
  const browserSecret = inConsole ? (consoleSession as string) : newSecret();
  const then = inConsole ? 'complete' : 'verified';
  if (
    !(await verifyOAuthSession(parsed.sessionHash, stateHash, identity, digest(browserSecret), now, then))
  ) {
    throw new AuthenticationError(SIGN_IN_GONE);
  }
  if (session.purpose === 'console') return { purpose: 'console' };
  return {
    purpose: session.purpose,
    browserSecret,
    expiresAt: session.expiresAt,
    sameNetworkSince: (await buttonWillDo(session, identity, ip, now)) ? session.startedAt : undefined,
  };
}

export const CODE_NEEDED = 'Type the code your terminal shows to finish.';

/**
 * The browser gives back the terminal's code (or, with no code, is on the terminal's network),
 * with the secret the callback gave it (undefined: it has none); five wrong codes end the session.
 * Another browser's request is refused and spends nothing, so that nobody else can end the
 * owner's sign-in either. Returns the session's purpose and the identity Google verified.
 */
export async function confirmGoogleFlow(
  state: string,
  userCode: string | undefined,
  browserSecret: string | undefined,
  now: number,
  ip: string,
): Promise<{
  purpose: OAuthPurpose;
  identity?: { sub: string; email: string };
  /** The terminal's code, or its network (the button: a client that can ask nothing). */
  proof: 'code' | 'network';
}> {
  const parsed = parseState(state);
  const session = parsed && (await getOAuthSession(parsed.sessionHash, now));
  if (!parsed || session?.status !== 'verified') throw new AuthenticationError(SIGN_IN_GONE);
  const browserHash = browserSecret === undefined ? undefined : digest(browserSecret);
  if (browserHash === undefined || browserHash !== session.browserHash)
    throw new ForbiddenError(OTHER_BROWSER);
  const stateHash = digest(parsed.stateSecret);
  const identity = session.sub && session.email ? { sub: session.sub, email: session.email } : undefined;
  if (userCode === undefined) {
    const startSource = loginSource(ip);
    if (!identity || !startSource || !(await buttonWillDo(session, identity, ip, now)))
      throw new InvalidTokenError('code', CODE_NEEDED);
    if (await confirmOAuthSession(parsed.sessionHash, stateHash, { startSource }, browserHash, now)) {
      return { purpose: session.purpose, identity, proof: 'network' };
    }
    throw new AuthenticationError(SIGN_IN_GONE);
  }
  const proof = { userCodeHash: userCodeDigest(parsed.sessionHash, userCode) };
  if (await confirmOAuthSession(parsed.sessionHash, stateHash, proof, browserHash, now)) {
    return { purpose: session.purpose, identity, proof: 'code' };
  }
  if (session.stateHash !== stateHash) throw new AuthenticationError(SIGN_IN_GONE);
  const wrong = await countWrongUserCode(parsed.sessionHash);
  if (wrong >= MAX_WRONG_USER_CODES) {
    throw new AuthenticationError(
      'Too many wrong codes: this sign-in has ended. Start again from your terminal.',
    );
  }
  throw new InvalidTokenError('code', 'That is not the code your terminal shows. Check it and try again.');
}

export const FACTOR_AT_TERMINAL =
  'Give the code from your authenticator app at your terminal, which asks for it.';

/**
 * The browser that completed a login to an account with MFA on with the one button gives its
 * second factor on the same page (a client that shows no code asks for none either: the Gigalixir
 * CLI polls without one): from that browser only, checked and throttled as at a login, recorded
 * on the session once for the poll. A session completed with the terminal's code takes the second
 * factor at the terminal only, so that a phished terminal code never gets a factor typed here.
 * Returns whether a factor was needed at all (false: the account has MFA off by now).
 */
export async function secondFactorInBrowser(
  state: string,
  code: string,
  browserSecret: string | undefined,
  now: number,
  origin: { ip: string; userAgent?: string },
): Promise<boolean> {
  const parsed = parseState(state);
  const session = parsed && (await getOAuthSession(parsed.sessionHash, now));
  const stateHash = parsed && digest(parsed.stateSecret);
  if (
    !parsed ||
    session?.status !== 'complete' ||
    session.purpose !== 'login' ||
    session.stateHash !== stateHash
  )
    throw new AuthenticationError(SIGN_IN_GONE);
  const browserHash = browserSecret === undefined ? undefined : digest(browserSecret);
  if (browserHash === undefined || browserHash !== session.browserHash)
    throw new ForbiddenError(OTHER_BROWSER);
  if (!session.sub || !session.email) throw new AuthenticationError(SIGN_IN_GONE);
  if (session.terminalProof !== 'network') throw new AuthenticationError(FACTOR_AT_TERMINAL);
  if (session.mfaPassed) return true;
  const passed = await passGoogleSecondFactor({ sub: session.sub, email: session.email }, code, now, origin);
  if (!passed) return false;
  if (!(await passOAuthSecondFactor(parsed.sessionHash, stateHash as string, browserHash, passed, now)))
    throw new AuthenticationError(SIGN_IN_GONE);
  return true;
}
