// Signing in with a verified Google identity, whichever way it arrived (the CLI's browser flow or a
// web client's ID token). The identity is found by Google's subject; failing that, by the address
// Google verified: a confirmed account is linked, an UNCONFIRMED one is claimed (confirmed, and the
// password someone chose before the address was proven is discarded). MFA applies as to a password
// login: the second factor is asked for, counted and throttled the same way.

import type { GoogleIdentity } from '#adapters/google-oidc.ts';
import { enforceKeyLimit, type KeyTraits, newKeyRecord, storeApiKey } from '#data/api-keys.ts';
import type { TransactItem } from '#data/client.ts';
import { knownDevices } from '#data/devices.ts';
import { claimUnconfirmedWithIdentity, findIdentity, GOOGLE, identityPuts } from '#data/identities.ts';
import type { BrowserSecondFactor } from '#data/oauth.ts';
import { getUser, getUserByEmail, profileCheck } from '#data/profiles.ts';
import { type Account, isActive, isSuspended, isUnconfirmed } from '#domain/account.ts';
import { newApiKey } from '#domain/api-keys.ts';
import { normalizeEmail } from '#domain/email.ts';
import {
  AccountSuspendedError,
  AuthenticationError,
  ChangedMeanwhileError,
  ConflictError,
} from '#domain/errors.ts';
import { ACCOUNT_DELETING } from '#domain/messages.ts';
import { hashPassword } from '#domain/passwords.ts';
import type { Origin, RequestTime } from '#domain/request.ts';
import { newSecret } from '#domain/tokens.ts';
import { deliver } from '#email/deliver.ts';
import { auditItem, auditItems, auditLog } from './audit.ts';
import { loginThrottle, trustedBy } from './login-throttle.ts';
import { signedIn } from './new-device.ts';
import { requireSecondFactor } from './second-factor.ts';

export const SIGN_IN_CHANGED = 'The account changed during sign-in. Try again.';

export const NO_GOOGLE_ACCOUNT =
  'No Gatehouse account uses this Google account or its address. Sign up first: signup:google, at your terminal.';

/** The address Google verified, as Gatehouse compares addresses; undefined if it takes none such. */
export function googleAddress(identity: GoogleIdentity): string | undefined {
  try {
    return normalizeEmail(identity.email);
  } catch {
    return undefined;
  }
}

/** A password nobody knows: for accounts that sign in with Google only, until a reset sets one. */
export const unusablePasswordHash = (): Promise<string> => hashPassword(newSecret());

async function linkedAccount(sub: string): Promise<Account | undefined> {
  const userId = await findIdentity(GOOGLE, sub);
  return userId ? getUser(userId) : undefined;
}

/** After a link or claim lost its race: a parallel request (a second poll) linked it first. */
async function linkedMeanwhile(identity: GoogleIdentity): Promise<Account> {
  const user = await linkedAccount(identity.sub);
  if (!user) throw new ConflictError('The account changed meanwhile. Try again.');
  return user;
}

/** The account linked to the identity, or else the one with the address Google verified. */
async function googleAccount(identity: GoogleIdentity): Promise<Account | undefined> {
  const email = googleAddress(identity);
  return (await linkedAccount(identity.sub)) ?? (email ? await getUserByEmail(email) : undefined);
}

/** What a Google login of this identity will meet, for the callback page to say what is true. */
export type GoogleOutlook = 'ready' | 'needs-code' | 'no-account' | 'deleting' | 'suspended';

/** Reads only: the account the poll will find (as accountForGoogle finds it) and its state. */
export async function googleLoginOutlook(identity: GoogleIdentity): Promise<GoogleOutlook> {
  const user = await googleAccount(identity);
  if (!user) return 'no-account';
  // An UNCONFIRMED account is claimed by the poll, and cannot have MFA.
  if (isUnconfirmed(user)) return 'ready';
  if (!isActive(user)) return 'deleting';
  if (isSuspended(user)) return 'suspended';
  return user.mfaEnabled ? 'needs-code' : 'ready';
}

/**
 * True when the account a login of this identity will find (as googleLoginOutlook finds it) has
 * logged in from the source of `ip` (or reset its password from there) within 90 days.
 */
export async function googleAccountTrusts(
  identity: GoogleIdentity,
  ip: string,
  now: number,
): Promise<boolean> {
  const user = await googleAccount(identity);
  return user !== undefined && isActive(user) && (await trustedBy(user.userId, user.email, ip, now));
}

/** An account for a Google identity; `link` when it must be linked in the key's transaction. */
interface GoogleAccount {
  readonly user: Account;
  readonly link?: { readonly sub: string; readonly email: string };
}

/**
 * The account of a Google identity. A confirmed account with the verified address is linked only
 * once the login passes (its second factor included), in the key's transaction; an UNCONFIRMED one
 * is claimed at once (it cannot have MFA).
 */
export async function accountForGoogle(
  identity: GoogleIdentity,
  now: number,
  origin: Origin,
): Promise<GoogleAccount> {
  const linkedUser = await linkedAccount(identity.sub);
  if (linkedUser) return { user: linkedUser };
  const email = googleAddress(identity);
  const user = email && (await getUserByEmail(email));
  if (!email || !user) throw new AuthenticationError(NO_GOOGLE_ACCOUNT);
  if (isActive(user)) return { user, link: { sub: identity.sub, email } };
  if (!isUnconfirmed(user)) throw new AuthenticationError(ACCOUNT_DELETING);
  const at = new Date(now * 1000).toISOString();
  const event = { name: 'email.confirmed', userId: user.userId, ...origin, detail: { via: GOOGLE } } as const;
  const claimed = await claimUnconfirmedWithIdentity(
    user,
    GOOGLE,
    { sub: identity.sub, email },
    await unusablePasswordHash(),
    at,
    [auditItem(event, now)],
  );
  if (!claimed) return { user: await linkedMeanwhile(identity) };
  auditLog(event);
  await deliver('notice', email, ['googleClaimedNotice', new Date(now * 1000)]);
  const confirmed = await getUser(user.userId);
  if (!confirmed) throw new ConflictError('The account changed meanwhile. Try again.');
  return { user: confirmed };
}

/**
 * The browser that came back from Google gives the second factor of the account a login of this
 * identity will find, counted and throttled as at a login (303-style SecondFactorRequiredError when
 * missing or wrong). Undefined when that account has MFA off (nothing to give).
 */
export async function passGoogleSecondFactor(
  identity: GoogleIdentity,
  code: string | undefined,
  now: number,
  origin: Origin,
): Promise<BrowserSecondFactor | undefined> {
  const user = await googleAccount(identity);
  if (!user) throw new AuthenticationError(NO_GOOGLE_ACCOUNT);
  if (!isActive(user)) throw new AuthenticationError(ACCOUNT_DELETING);
  if (isSuspended(user)) throw new AccountSuspendedError();
  if (!user.mfaEnabled) return undefined;
  const attempt = await loginThrottle.attempt(user.email, origin.ip, now);
  const factor = await requireSecondFactor(user, code, now, origin, attempt, 'google');
  await attempt.succeed(user.userId);
  return { userId: user.userId, mfaEnabledAt: user.mfaEnabledAt, factor, at: now };
}

/** How a login of an account with MFA on gets its second factor. */
export interface SecondFactorSource {
  /** The code sent with this request, if any. */
  readonly mfaToken?: string;
  /** What the browser gave on the callback page, if it did. */
  readonly fromBrowser?: BrowserSecondFactor;
  /** With neither: answer undefined (the poll's 204: the page is asking) instead of 303. */
  readonly waitForBrowser?: boolean;
}

/** What a Google login writes beside its key. */
export interface GoogleMint {
  /** Written in the key's transaction: ending the sign-in's session, so it is handed out once. */
  readonly alsoWrite?: TransactItem[];
  /** The key's other traits (a console session's name, kind and lifetime). */
  readonly traits?: Pick<KeyTraits, 'name' | 'expiresAt' | 'kind'>;
}

/**
 * Logs a Google identity in: the second factor when MFA is on (303 without or with a wrong code,
 * unless the browser gave it or is still asked for it), then a new API key (with `mint.traits`),
 * stored with the link (if any), a check that MFA did not change meanwhile, and `mint.alsoWrite`. A transaction that loses a race (another poll, a parallel link, MFA
 * turned on) throws ChangedMeanwhileError, having written nothing.
 */
export async function googleLogin(
  identity: GoogleIdentity,
  factors: SecondFactorSource,
  time: RequestTime,
  origin: Origin,
  mint: GoogleMint = {},
): Promise<{ email: string; key: string } | undefined> {
  const { now } = time;
  const { user, link } = await accountForGoogle(identity, now, origin);
  if (!isActive(user)) throw new AuthenticationError(ACCOUNT_DELETING);
  // Before the second factor, as at a password login.
  if (isSuspended(user)) throw new AccountSuspendedError();
  let secondFactor: string = 'none';
  let fromBrowser: number | undefined;
  if (user.mfaEnabled) {
    const passed = factors.fromBrowser;
    if (passed && passed.userId === user.userId && passed.mfaEnabledAt === user.mfaEnabledAt) {
      secondFactor = passed.factor;
      fromBrowser = passed.at;
    } else {
      if (factors.mfaToken === undefined && factors.waitForBrowser) return undefined;
      const attempt = await loginThrottle.attempt(user.email, origin.ip, now);
      secondFactor = await requireSecondFactor(user, factors.mfaToken, now, origin, attempt, 'google');
      await attempt.succeed(user.userId);
    }
  }
  const key = newApiKey(user.userId);
  const events = [
    ...(link
      ? [{ name: 'identity.linked', userId: user.userId, ...origin, detail: { provider: GOOGLE } } as const]
      : []),
    { name: 'login.succeeded', userId: user.userId, ...origin, detail: { via: GOOGLE, secondFactor } },
    { name: 'api_key.minted', userId: user.userId, ...origin, detail: { keyId: key.id } },
  ] as const;
  // This login proved Google and the code, never the password: within the recent window the key
  // stands for a fresh code, never for the password (second-factor.ts); a code typed on the page
  // only beside the password (that page may be a victim's, sent a link by a neighbour).
  const factor =
    secondFactor === 'none'
      ? undefined
      : fromBrowser !== undefined
        ? ({ at: fromBrowser, after: 'google-page' } as const)
        : ({ at: now, after: 'google' } as const);
  // The account's devices are read beside the key's write: a new one is news, once it landed.
  const [stored, devices] = await Promise.all([
    storeApiKey(newKeyRecord(user.userId, key, time.at, { ...mint.traits, origin, secondFactor: factor }), [
      profileCheck(user, link),
      ...(link ? identityPuts(user.userId, GOOGLE, link, new Date(now * 1000).toISOString()) : []),
      auditItems(events, now),
      ...(mint.alsoWrite ?? []),
    ]),
    knownDevices(user.userId),
  ]);
  if (!stored) throw new ChangedMeanwhileError(SIGN_IN_CHANGED);
  for (const e of events) auditLog(e);
  if (link) await deliver('notice', user.email, ['googleLinkedNotice', new Date(now * 1000)]);
  const factorUsed = secondFactor === 'none' ? undefined : secondFactor;
  await Promise.all([
    enforceKeyLimit(user.userId, key.id, now),
    signedIn(user, devices, { origin, way: 'google', secondFactor: factorUsed, keyId: key.id }, now),
  ]);
  return { email: user.email, key: key.key };
}
