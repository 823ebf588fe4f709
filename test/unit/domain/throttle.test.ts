import { describe, expect, it } from 'vitest';
import {
  LOGIN_FREE_FAILURES,
  LOGIN_MAX_DELAY_SECONDS,
  loginDelaySeconds,
  loginRetryAfter,
} from '../../../functions/lib/domain/throttle.ts';

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
});
