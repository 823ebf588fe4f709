// Throttling policy (the standing security rules), apart from how counts are kept.
import { isIPv4, isIPv6 } from 'node:net';

/** Wrong logins an address gets from one source before any delay. */
export const LOGIN_FREE_FAILURES = 5;
/**
 * Wrong logins an address gets from all sources together before sources it has never logged in
 * from must wait too: far above one source's, so a stranger's guesses never hold the owner up,
 * and low enough that a botnet gets no more than a few dozen guesses and then four an hour.
 */
export const ADDRESS_FREE_FAILURES = 50;
/** The longest wait a login ever imposes: slow guessing down, never lock the owner out for long. */
export const LOGIN_MAX_DELAY_SECONDS = 15 * 60;
/** Failures are forgotten after a day without any attempt (the count's item expires). */
export const LOGIN_QUIET_SECONDS = 24 * 3600;
/** A source that logged in (or reset the password) keeps its own budget this long after. */
export const TRUSTED_SOURCE_SECONDS = 90 * 24 * 3600;

/** After `free` failures, each further failure doubles the wait: 2 s, 4 s, 8 s, ... 15 min. */
export function delaySeconds(failures: number, free = LOGIN_FREE_FAILURES): number {
  if (failures < free) return 0;
  return Math.min(LOGIN_MAX_DELAY_SECONDS, 2 ** (failures - free + 1));
}

/** The wait after `failures` from one source. */
export const loginDelaySeconds = (failures: number): number => delaySeconds(failures);

/**
 * Seconds until the next login may be tried, or 0 when it may be tried now. No delay means no
 * wait: a parallel attempt that read the clock a second later may have stamped `lastFailureAt`.
 */
export function loginRetryAfter(
  failures: number,
  lastFailureAt: number,
  now: number,
  free = LOGIN_FREE_FAILURES,
): number {
  const delay = delaySeconds(failures, free);
  return delay === 0 ? 0 : Math.max(0, lastFailureAt + delay - now);
}

/**
 * Past ADDRESS_FREE_FAILURES, the sources an address has never logged in from get one password
 * checked between them every this many seconds (the longest wait of one source's): some 100
 * guesses a day for a botnet, and a stranger must keep guessing to keep a new source waiting.
 */
export const ADDRESS_WAIT_SECONDS = LOGIN_MAX_DELAY_SECONDS;

/** The eight 16-bit groups of an IPv6 address, an embedded IPv4 tail as two of them. */
function ipv6Groups(ip: string): number[] {
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const parse = (part: string) =>
    part
      ? part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [Number.parseInt(g, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        })
      : [];
  const left = parse(head);
  const right = parse(tail);
  return ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill(0), ...right] : left;
}

/**
 * The source a login is counted under: the IPv4 address (also when a dual-stack socket gives it as
 * ::ffff:a.b.c.d), or for IPv6 its /64, which one subscriber usually holds whole (rotating through
 * it must not buy fresh budgets). Undefined for anything that is not an IP ("unknown"): no source
 * proves a network, nor is trusted.
 */
export function loginSource(ip: string): string | undefined {
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return undefined;
  const groups = ipv6Groups(ip);
  const [g5 = 0, g6 = 0, g7 = 0] = groups.slice(5);
  if (groups.slice(0, 5).every((g) => g === 0) && g5 === 0xffff) {
    return [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/**
 * The network an address belongs to, as a person moves between them: an IPv4 /24 (a home or an
 * office keeps it while its last number changes), an IPv6 /48 (one site). Undefined for anything
 * that is not an IP.
 */
export function networkOf(ip: string): string | undefined {
  const source = loginSource(ip);
  if (source === undefined) return undefined;
  if (!source.includes(':')) return `${source.split('.').slice(0, 3).join('.')}.0/24`;
  return `${source.split(':').slice(0, 3).join(':')}::/48`;
}

/**
 * Requests a minute from one source IP to one unauthenticated endpoint. Generous: a whole office
 * behind one NAT signs up and logs in without meeting it; a script hammering one endpoint does.
 */
export const IP_LIMITS_PER_MINUTE = {
  signup: 30,
  /** The staged signup's later steps (code, password, promo, tier): several per signup. */
  'signup-step': 120,
  reset: 30,
  'email-change': 30,
  resend: 30,
  confirm: 60,
  login: 60,
  /** A Google sign-in's poll: every 2 s while the user is at Google. */
  'oauth-poll': 120,
} as const;

export type IpScope = keyof typeof IP_LIMITS_PER_MINUTE;
