// What a handler passes down of its request: one reading of the clock and the origin. The clock is
// read once, on first ask, and every later ask of the same request gets the same reading, so a
// request never changes its mind about what time it is between two layers.
import type { Context } from 'hono';
import { type Origin, type RequestTime, requestTimeOf } from '#domain/request.ts';
import { clientIp } from './client-ip.ts';

const clocks = new WeakMap<Request, RequestTime>();

/** The request's time, the same for the whole request. */
export function requestTime(c: Context): RequestTime {
  let time = clocks.get(c.req.raw);
  if (time === undefined) {
    time = requestTimeOf(Date.now());
    clocks.set(c.req.raw, time);
  }
  return time;
}

/** The request's time in whole seconds: what every rule compares. */
export const requestNow = (c: Context): number => requestTime(c).now;

/** Who is asking: source IP and user agent of the request. */
export const requestOrigin = (c: Context): Origin => ({
  ip: clientIp(c),
  userAgent: c.req.header('user-agent')?.slice(0, 256),
});
