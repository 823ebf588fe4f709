// The per-IP ceilings handlers call on unauthenticated endpoints (the guessing throttles of logins
// and re-authentication are in ../login-throttle.ts).
import type { Context } from 'hono';
import { auditLog } from '../audit.ts';
import { hit } from '../data/counters.ts';
import { RateLimitedError } from '../domain/errors.ts';
import { IP_LIMITS_PER_MINUTE, type IpScope } from '../domain/throttle.ts';
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
