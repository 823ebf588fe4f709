// The per-IP ceilings of unauthenticated actions: at most IP_LIMITS_PER_MINUTE[scope] a minute
// from one source. The guessing throttles of logins and re-authentication are login-throttle.ts.
import { hit } from '#data/counters.ts';
import { RateLimitedError } from '#domain/errors.ts';
import { IP_LIMITS_PER_MINUTE, type IpScope } from '#domain/throttle.ts';
import { auditLog } from './audit.ts';

/** Counts one request of `scope` from `ip`; RateLimitedError past the ceiling. */
export async function checkIpCeiling(ip: string, scope: IpScope, now: number): Promise<void> {
  const { count, windowEnd } = await hit({ scope: `ip:${scope}`, subject: ip, windowSeconds: 60 }, now);
  if (count > IP_LIMITS_PER_MINUTE[scope]) {
    auditLog({ name: 'ip.throttled', ip, detail: { scope } });
    throw new RateLimitedError(Math.max(1, windowEnd - now));
  }
}
