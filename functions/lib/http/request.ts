// What a handler passes down of its request: one clock reading and the origin. The clock is read
// once, on first ask, and every later ask of the same request gets the same second, so a request
// never changes its mind about what time it is between two layers.
import type { Context } from 'hono';
import type { Origin } from '#domain/request.ts';
import { nowSeconds } from '#domain/tokens.ts';
import { clientIp } from './client-ip.ts';

const clocks = new WeakMap<Request, number>();

/** The request's time in whole seconds, the same for the whole request. */
export function requestNow(c: Context): number {
  let now = clocks.get(c.req.raw);
  if (now === undefined) {
    now = nowSeconds();
    clocks.set(c.req.raw, now);
  }
  return now;
}

/** Who is asking: source IP and user agent of the request. */
export const requestOrigin = (c: Context): Origin => ({
  ip: clientIp(c),
  userAgent: c.req.header('user-agent')?.slice(0, 256),
});
