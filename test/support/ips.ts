// Source addresses for tests: real IPv6 addresses, each in a /64 of its own (a login's source is
// its /64), so that tests running at once never share a throttle's budget or a network.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { hit } from '#data/counters.ts';
import { IP_LIMITS_PER_MINUTE, type IpScope } from '#domain/throttle.ts';
import { nowSeconds } from '#domain/tokens.ts';

/** A documentation-range IPv6 address (2001:db8::/32) in a /64 nobody else gets. */
export function uniqueIp(): string {
  const groups = [...randomBytes(6)].reduce<string[]>((acc, byte, i) => {
    if (i % 2 === 0) acc.push(byte.toString(16).padStart(2, '0'));
    else acc[acc.length - 1] += byte.toString(16).padStart(2, '0');
    return acc;
  }, []);
  const [a, b, host] = groups.map((g) => Number.parseInt(g, 16).toString(16));
  return `2001:db8:${a}:${b}::${host === '0' ? '1' : host}`;
}

/**
 * Brings the IP to its ceiling for this minute, as `limit` earlier requests would have. Returns when
 * the window closes. Starts at least 5 s before the minute ends, so the next request falls inside.
 */
export async function fillWindow(scope: IpScope, ip: string): Promise<{ now: number; windowEnd: number }> {
  while (nowSeconds() % 60 > 55) await sleep(250);
  const now = nowSeconds();
  const limit = IP_LIMITS_PER_MINUTE[scope];
  const window = { scope: `ip:${scope}`, subject: ip, windowSeconds: 60 };
  const hits = await Promise.all(Array.from({ length: limit }, () => hit(window, now)));
  expect(Math.max(...hits.map((h) => h.count))).toBe(limit);
  return { now, windowEnd: hits[0]?.windowEnd ?? now };
}
