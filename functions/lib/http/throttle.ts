// The per-IP ceiling, as handlers call it on unauthenticated endpoints (services/ip-ceilings.ts).
import type { Context } from 'hono';
import type { IpScope } from '#domain/throttle.ts';
import { checkIpCeiling } from '#services/ip-ceilings.ts';
import { clientIp } from './client-ip.ts';
import { requestNow } from './request.ts';

/**
 * At most IP_LIMITS_PER_MINUTE[scope] requests a minute from one IP. Handlers call it once their
 * input is valid, so a malformed request is refused without writing anything.
 */
export const limitPerIp = (c: Context, scope: IpScope): Promise<void> =>
  checkIpCeiling(clientIp(c), scope, requestNow(c));
