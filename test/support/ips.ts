// Source addresses for tests: real IPv6 addresses, each in a /64 of its own (a login's source is
// its /64), so that tests running at once never share a throttle's budget or a network.
import { randomBytes } from 'node:crypto';

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
