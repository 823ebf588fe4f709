// Throttles handlers call: per source IP on unauthenticated endpoints, per address on login.
import type { Context } from 'hono';
import { auditLog, subjectDigest } from '../audit.ts';
import { hit, peek, reset, type Window } from '../data/counters.ts';
import { RateLimitedError } from '../domain/errors.ts';
import {
  IP_LIMITS_PER_MINUTE,
  type IpScope,
  LOGIN_FAILURE_WINDOW_SECONDS,
  loginRetryAfter,
} from '../domain/throttle.ts';
import { nowSeconds } from '../domain/tokens.ts';
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

const loginFailures = (email: string): Window => ({
  scope: 'login-failures',
  subject: email,
  windowSeconds: LOGIN_FAILURE_WINDOW_SECONDS,
});

const TOO_MANY_LOGINS =
  'Too many failed logins for this address. Wait before trying again, or reset your password.';

/**
 * Login failures per address (known or not, so a 429 tells nothing about who has an account).
 * While the delay runs even the right password is refused, and that attempt counts as a failure
 * too: whoever keeps guessing keeps waiting. Password reset never looks at this.
 */
export const loginThrottle = {
  /** Throws 429 while the address must wait; the refused attempt is counted. */
  async check(email: string, now: number, ip: string): Promise<void> {
    const { count, lastAt } = await peek(loginFailures(email), now);
    if (loginRetryAfter(count, lastAt, now) > 0) {
      // Counted, so the wait grows; the client is told the wait that follows from this attempt.
      const after = await hit(loginFailures(email), now);
      auditLog({
        name: 'login.throttled',
        ip,
        detail: { subject: subjectDigest(email), failures: after.count },
      });
      throw new RateLimitedError(loginRetryAfter(after.count, now, now), TOO_MANY_LOGINS);
    }
  },
  /** Counts a wrong password; returns the failures so far in the window. */
  async fail(email: string, now: number): Promise<number> {
    return (await hit(loginFailures(email), now)).count;
  },
  /** A successful login forgives earlier failures. */
  async succeed(email: string, now: number): Promise<void> {
    await reset(loginFailures(email), now);
  },
};
