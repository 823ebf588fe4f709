import { describe, expect, it } from 'vitest';
import {
  ADDRESS_FREE_FAILURES,
  LOGIN_FREE_FAILURES,
  LOGIN_MAX_DELAY_SECONDS,
  loginDelaySeconds,
  loginRetryAfter,
  loginSource,
} from '#domain/throttle.ts';

describe('login delay', () => {
  it('lets 5 failures go free, then doubles from 2 s up to 15 minutes', () => {
    expect(LOGIN_FREE_FAILURES).toBe(5);
    expect([0, 1, 4].map(loginDelaySeconds)).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 13, 14].map(loginDelaySeconds)).toEqual([2, 4, 8, 16, 512, 900]);
    expect(loginDelaySeconds(1000)).toBe(LOGIN_MAX_DELAY_SECONDS);
    expect(LOGIN_MAX_DELAY_SECONDS).toBe(900);
  });

  it('counts the wait from the last failure', () => {
    expect(loginRetryAfter(6, 1000, 1000)).toBe(4);
    expect(loginRetryAfter(6, 1000, 1003)).toBe(1);
    expect(loginRetryAfter(6, 1000, 1004)).toBe(0);
    expect(loginRetryAfter(4, 1000, 1000)).toBe(0);
  });

  it('never waits while failures are free, even when a parallel attempt stamped a later second', () => {
    // Requests read the clock before they count: one that read 1000 may count after one that read 1001.
    expect(loginRetryAfter(4, 1001, 1000)).toBe(0);
    expect(loginRetryAfter(ADDRESS_FREE_FAILURES - 1, 1001, 1000, ADDRESS_FREE_FAILURES)).toBe(0);
    expect(loginRetryAfter(5, 1001, 1000)).toBe(3);
  });
});

describe('login source', () => {
  it('is the IPv4 address itself, and the /64 of an IPv6 address', () => {
    expect(loginSource('203.0.113.7')).toBe('203.0.113.7');
    expect(loginSource('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(loginSource('2001:DB8:0001:0002::ffff')).toBe('2001:db8:1:2::/64');
    expect(loginSource('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(loginSource('::1')).toBe('0:0:0:0::/64');
    // An IPv4 client of a dual-stack socket (the local stack's) is its IPv4 address, not ::/64.
    expect(loginSource('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(loginSource('::FFFF:c000:0201')).toBe('192.0.2.1');
    expect(loginSource('::ffff:127.0.0.23')).not.toBe(loginSource('::ffff:127.0.0.42'));
    // Whatever is not an IP ("unknown": no address was given) is no source at all: never one
    // network with another, never trusted.
    expect(loginSource('unknown')).toBeUndefined();
    expect(loginSource('')).toBeUndefined();
    expect(loginSource('192.0.2.1-made-up')).toBeUndefined();
  });
});
