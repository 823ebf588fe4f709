// A device is a kind of client on a network; an account remembers a bounded few.
import { describe, expect, it } from 'vitest';
import {
  DEVICE_MEMORY_SECONDS,
  DEVICE_SEEN_RESOLUTION_SECONDS,
  deviceOf,
  deviceVerdict,
  MAX_KNOWN_DEVICES,
} from '#domain/devices.ts';
import { networkOf } from '#domain/throttle.ts';

const CHROME = (v: string) =>
  `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v} Safari/537.36`;

describe('networkOf', () => {
  it('is the IPv4 /24 and the IPv6 /48', () => {
    expect(networkOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(networkOf('::ffff:203.0.113.9')).toBe('203.0.113.0/24');
    expect(networkOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(networkOf('2001:db8:abcd:ffff:1:2:3:4')).toBe('2001:db8:abcd::/48');
    expect(networkOf('unknown')).toBeUndefined();
  });
});

describe('deviceOf', () => {
  it('is the same across a version update and a new address on the network, and differs otherwise', () => {
    const home = deviceOf('203.0.113.7', CHROME('120.0.6099.71'));
    expect(deviceOf('203.0.113.200', CHROME('121.0.6167.85'))).toBe(home);
    expect(deviceOf('198.51.100.7', CHROME('120.0.6099.71'))).not.toBe(home);
    expect(deviceOf('203.0.113.7', 'gatehouse-cli/1.2.0')).not.toBe(home);
    expect(deviceOf('203.0.113.7', 'gatehouse-cli/1.2.0')).toBe(
      deviceOf('203.0.113.7', 'gatehouse-cli/1.3.1'),
    );
    expect(deviceOf('203.0.113.7', undefined)).toBe(deviceOf('203.0.113.9', ''));
    // A digest only: no address, no user agent.
    expect(home).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('deviceVerdict', () => {
  const now = 1_000_000_000;
  it('the first sign-in of an account is remembered, not news', () => {
    expect(deviceVerdict(undefined, 'a', now)).toEqual({ notify: false, remember: true, forget: [] });
  });

  it('a new device is news; a known one is not, and is written again only now and then', () => {
    const known = new Map([['a', now - 60]]);
    expect(deviceVerdict(known, 'b', now)).toEqual({ notify: true, remember: true, forget: [] });
    expect(deviceVerdict(known, 'a', now)).toEqual({ notify: false, remember: false, forget: [] });
    const weekAgo = new Map([['a', now - DEVICE_SEEN_RESOLUTION_SECONDS]]);
    expect(deviceVerdict(weekAgo, 'a', now)).toMatchObject({ notify: false, remember: true });
  });

  it('forgets devices long unseen, and the oldest beyond the bound', () => {
    const long = new Map([
      ['old', now - DEVICE_MEMORY_SECONDS],
      ['recent', now - 10],
    ]);
    expect(deviceVerdict(long, 'old', now)).toEqual({ notify: true, remember: true, forget: [] });
    expect(deviceVerdict(long, 'new', now)).toEqual({ notify: true, remember: true, forget: ['old'] });
    const full = new Map(Array.from({ length: MAX_KNOWN_DEVICES }, (_, i) => [`d${i}`, now - 1000 + i]));
    expect(deviceVerdict(full, 'new', now).forget).toEqual(['d0']);
    expect(deviceVerdict(full, 'd5', now)).toEqual({ notify: false, remember: false, forget: [] });
  });
});
