// Guessing throttles: login attempts per address and source, and re-authentication attempts per
// API key. Every attempt is counted before the secret is checked, and the decision is taken on the
// counts before it: parallel attempts see 0, 1, 2, ... so a burst gets no more checks than a
// sequence. Refused attempts count at their source (whoever keeps guessing keeps waiting), never
// for the address (nobody pushes it past its 50 with refusals). Two budgets keep a
// stranger from locking the owner out (NIST 800-63B 5.2.2): a source's own, and the address's
// from every source, which holds up only sources the address has never logged in from.

import {
  type AttemptsBefore,
  attemptCount,
  type CountBaseline,
  countAttempt,
  countAttemptUnlessWaiting,
  distrust,
  forgiveAttempt,
  mark,
  markerAt,
  markOf,
  marksIn,
  resetAttempts,
  uncountAttempt,
} from '#data/counters.ts';
import { ATTEMPT_SCOPES, keys } from '#data/keys.ts';
import { emailOwner } from '#data/profiles.ts';
import { RateLimitedError } from '#domain/errors.ts';
import { TOO_MANY_LOGINS, TOO_MANY_REAUTHS } from '#domain/messages.ts';
import {
  ADDRESS_FREE_FAILURES,
  ADDRESS_WAIT_SECONDS,
  LOGIN_QUIET_SECONDS,
  loginRetryAfter,
  loginSource,
  TRUSTED_SOURCE_SECONDS,
} from '#domain/throttle.ts';
import { auditLog } from './audit.ts';

/** A login attempt that may go on to check the password. */
export interface LoginAttempt {
  /** The secret was right: the source's failures are forgotten and the account trusts it from now on. */
  succeed(userId: string): Promise<void>;
  /** No failure after all (the right password sent without its second factor): taken back. */
  forgive(): Promise<void>;
  /**
   * Refused by another limit after all (the per-IP ceiling, checked at the same time): no password
   * is checked, so it is taken back for the address, and stays counted at its source.
   */
  refused(): Promise<void>;
}

const UNKNOWN_SOURCE = 'unknown';
const addressKey = (email: string) => keys.attempts(ATTEMPT_SCOPES.login, email);
const ADDRESS_LIMITS = {
  free: ADDRESS_FREE_FAILURES,
  waitSeconds: ADDRESS_WAIT_SECONDS,
  quietSeconds: LOGIN_QUIET_SECONDS,
} as const;

/**
 * Trusts `ip` for the account at its address: it keeps its own budget while strangers' guesses pile
 * up. The marker names the account, so it proves nothing for a later holder of the address.
 */
export async function trustSource(
  user: { userId: string; email: string },
  ip: string,
  now: number,
): Promise<void> {
  const source = loginSource(ip);
  if (source === undefined) return;
  await Promise.all([
    mark(keys.trustedSource(user.email, source), user.userId, now, TRUSTED_SOURCE_SECONDS),
    resetAttempts(keys.loginSource(user.email, source)),
  ]);
}

const TRUSTED = 'TRUSTED#';
const trustedUnder = (userId: string, address: string, now: number) =>
  marksIn(keys.trustedSource(address, '').pk, TRUSTED, userId, now);

/**
 * The account moved from address `from` to `to`: the sources it trusted move with it, each until it
 * would have expired (a marker is the account's, so nobody else's trust moves), and nothing of it
 * stays under an address the account may give up.
 */
export async function carryTrust(userId: string, from: string, to: string, now: number): Promise<void> {
  const marks = await trustedUnder(userId, from, now);
  await Promise.all(
    marks.map(async (m) => {
      const source = m.sk.slice(TRUSTED.length);
      await mark(keys.trustedSource(to, source), userId, m.markedAt, m.expiresAt - m.markedAt);
      await distrust(keys.trustedSource(from, source));
    }),
  );
}

/**
 * Forgets every source the account trusts under `addresses`: whoever knew the password, or held
 * the account for a while, may have logged in from anywhere. A reset and an undone change call it.
 */
export async function forgetTrust(userId: string, addresses: readonly string[], now: number): Promise<void> {
  await Promise.all(
    addresses.map(async (address) => {
      const marks = await trustedUnder(userId, address, now);
      await Promise.all(marks.map((m) => distrust(keys.trustedSource(address, m.sk.slice(TRUSTED.length)))));
    }),
  );
}

/** True when the account `userId` trusts the source of `ip` (it logged in or reset from there). */
export async function trustedBy(userId: string, email: string, ip: string, now: number): Promise<boolean> {
  const source = loginSource(ip);
  return source !== undefined && (await markOf(keys.trustedSource(email, source), now))?.owner === userId;
}

/**
 * The failures at a source before this attempt: its count, less what the latest success there
 * forgave (the marker's baseline, while the count is the same run of attempts: one that began
 * after the marker is a new run, counted whole).
 */
function failuresAtSource(before: AttemptsBefore, baseline: CountBaseline | undefined): number {
  if (!baseline || before.since > baseline.since) return before.count;
  return Math.max(0, before.count - baseline.count);
}

/**
 * Login attempts per address, known or not (so a 429 tells nothing about who has an account): 5
 * free failures per source, then 2 s doubling to 15 minutes; 50 free per address from all sources
 * together, past which sources that never logged in (nor reset the password) get one check every
 * 15 minutes between them, while those that did go on unhindered. Only attempts that go on to
 * check the password count for the address: a refused one neither adds up nor prolongs its wait.
 * Password reset never looks at this.
 */
export const loginThrottle = {
  /**
   * Counts this attempt; throws 429 while it must wait. `owner` is the id of the account at the
   * address, when the caller is reading it anyway (login reads it with the counters).
   */
  async attempt(
    email: string,
    ip: string,
    now: number,
    owner: () => Promise<string | undefined> = () => emailOwner(email),
  ): Promise<LoginAttempt> {
    const source = loginSource(ip);
    // Clients without an address share one budget, and are never trusted.
    const sourceKey = keys.loginSource(email, source ?? UNKNOWN_SOURCE);
    const trustKey = source === undefined ? undefined : keys.trustedSource(email, source);
    const [bySource, byAddress, marker] = await Promise.all([
      countAttempt(sourceKey, now, LOGIN_QUIET_SECONDS),
      countAttemptUnlessWaiting(addressKey(email), now, ADDRESS_LIMITS),
      trustKey && markerAt(trustKey, now),
    ]);
    const failures = failuresAtSource(bySource, marker?.baseline);
    // While the address waits, a source its account trusts goes on, counted at its source only. The
    // account is read only then: a marker left by an earlier holder of the address proves nothing.
    const trusted = !byAddress.counted && marker?.owner !== undefined && (await owner()) === marker.owner;
    const addressWait = byAddress.counted || trusted ? 0 : Math.max(1, byAddress.openAt - now);
    const sourceWait = loginRetryAfter(failures, bySource.lastAt, now);
    if (sourceWait > 0 || addressWait > 0) {
      // Taken back, the wait it moved on too: no password was checked, so no check is spent.
      if (byAddress.counted) await uncountAttempt(addressKey(email), byAddress);
      auditLog({ name: 'login.throttled', ip, detail: { attempts: failures + 1, trusted } });
      // The wait that follows from this attempt, now counted at its source too.
      const next = sourceWait > 0 ? loginRetryAfter(failures + 1, now, now) : 0;
      throw new RateLimitedError(Math.max(next, addressWait), TOO_MANY_LOGINS);
    }
    // A success's attempt is taken back with its wait: the address's check goes to the next source.
    const forgiveAddress = () =>
      byAddress.counted ? uncountAttempt(addressKey(email), byAddress) : undefined;
    return {
      succeed: async (userId: string) => {
        // One write at the source: the marker, trusted by the account, forgiving every attempt
        // counted there up to this one (a failure counted meanwhile stays: the counter is not
        // reset under it). A client without an address is never trusted: its counter goes.
        const atSource = trustKey
          ? mark(trustKey, userId, now, TRUSTED_SOURCE_SECONDS, {
              count: bySource.count + 1,
              since: bySource.since,
            })
          : resetAttempts(sourceKey);
        // This attempt was counted for the address too; only failures stay there.
        await Promise.all([atSource, forgiveAddress()]);
      },
      forgive: async () => {
        await Promise.all([forgiveAttempt(sourceKey), forgiveAddress()]);
      },
      refused: async () => {
        await forgiveAddress();
      },
    };
  },
  /** Failures counted for the address from every source (tests, operators). */
  failures: (email: string): Promise<number> => attemptCount(addressKey(email)),
};

/**
 * Re-authentication with a key (the current password, a code for a change of factors): counted
 * per key, with a login's delays (5 free, then 2 s doubling to 15 minutes). Whoever holds a stolen
 * key can guess slowly and delay only that key, never the owner's logins or other keys.
 */
export const reauthThrottle = {
  /** Counts this attempt; throws 429 while the key must wait. Returns what to call on success. */
  async attempt(
    userId: string,
    keyId: string,
    now: number,
    ip: string,
  ): Promise<{ succeed(): Promise<void> }> {
    const key = keys.reauthAttempts(userId, keyId);
    const before = await countAttempt(key, now, LOGIN_QUIET_SECONDS);
    if (loginRetryAfter(before.count, before.lastAt, now) > 0) {
      auditLog({ name: 'reauth.throttled', userId, ip, detail: { keyId, attempts: before.count + 1 } });
      throw new RateLimitedError(loginRetryAfter(before.count + 1, now, now), TOO_MANY_REAUTHS);
    }
    return { succeed: () => resetAttempts(key) };
  },
};
