// Throttles handlers call: per source IP on unauthenticated endpoints, per address on login.
import type { Context } from 'hono';
import { auditLog } from '../audit.ts';
import { attemptCount, countAttempt, forgiveAttempt, hit, resetAttempts } from '../data/counters.ts';
import { ATTEMPT_SCOPES } from '../data/keys.ts';
import { RateLimitedError } from '../domain/errors.ts';
import {
  IP_LIMITS_PER_MINUTE,
  type IpScope,
  LOGIN_QUIET_SECONDS,
  loginRetryAfter,
} from '../domain/throttle.ts';
import { nowSeconds } from '../domain/tokens.ts';
import { TOO_MANY_LOGINS } from '../messages.ts';
import { clientIp } from './client-ip.ts';

/**
 * At most IP_LIMITS_PER_MINUTE[scope] requests a minute from one IP. Handlers call it once their
 * input is valid, so a malformed request is refused without writing anything.
 */
export async function limitPerIp(c: Context, scope: IpScope): Promise<void> {
  const now = nowSeconds();
  const ip = clientIp(c);
  const { count, windowEnd } = await hit({ scope: `ip:${scope}`, subject: ip, windowSeconds: 60 }, now);
  if (count > IP_LIMITS_PER_MINUTE[scope]) {
    auditLog({ name: 'ip.throttled', ip, detail: { scope } });
    throw new RateLimitedError(Math.max(1, windowEnd - now));
  }
}

const LOGIN_SCOPE = ATTEMPT_SCOPES.login;

/**
 * Login attempts per address (known or not, so a 429 tells nothing about who has an account).
 * Every attempt is counted before the password is checked, and the decision is taken on the count
 * before it: parallel attempts see 0, 1, 2, ... so at most 5 are ever checked in a burst. While
 * the delay runs even the right password is refused (and counted: whoever keeps guessing keeps
 * waiting). A success forgives. Password reset never looks at this.
 */
export const loginThrottle = {
  /** Counts this attempt; throws 429 while the address must wait. Returns the failures before it. */
  async attempt(email: string, now: number, ip: string): Promise<number> {
    const before = await countAttempt(LOGIN_SCOPE, email, now, LOGIN_QUIET_SECONDS);
    if (loginRetryAfter(before.count, before.lastAt, now) > 0) {
      auditLog({ name: 'login.throttled', ip, detail: { attempts: before.count + 1 } });
      // The wait that follows from this attempt, now counted too.
      throw new RateLimitedError(loginRetryAfter(before.count + 1, now, now), TOO_MANY_LOGINS);
    }
    return before.count;
  },
  /** A successful login forgives earlier failures. */
  async succeed(email: string): Promise<void> {
    await resetAttempts(LOGIN_SCOPE, email);
  },
  /**
   * Takes back an attempt that was no failure: the right password sent without the second factor,
   * as clients do first to learn that one is needed. Only the password's owner gets this.
   */
  async forgive(email: string): Promise<void> {
    await forgiveAttempt(LOGIN_SCOPE, email);
  },
  /** Failures counted for the address (tests, operators). */
  failures: (email: string): Promise<number> => attemptCount(LOGIN_SCOPE, email),
};
