// Throttling policy (the standing security rules), apart from how counts are kept.

/** Wrong logins an address gets before any delay. */
export const LOGIN_FREE_FAILURES = 5;
/** The longest wait a login ever imposes: slow guessing down, never lock the owner out for long. */
export const LOGIN_MAX_DELAY_SECONDS = 15 * 60;
/** Failures are forgotten after a day without any attempt (the count's item expires). */
export const LOGIN_QUIET_SECONDS = 24 * 3600;

/** After the free failures, each further failure doubles the wait: 2 s, 4 s, 8 s, ... 15 min. */
export function loginDelaySeconds(failures: number): number {
  if (failures < LOGIN_FREE_FAILURES) return 0;
  return Math.min(LOGIN_MAX_DELAY_SECONDS, 2 ** (failures - LOGIN_FREE_FAILURES + 1));
}

/** Seconds until the next login may be tried, or 0 when it may be tried now. */
export function loginRetryAfter(failures: number, lastFailureAt: number, now: number): number {
  return Math.max(0, lastFailureAt + loginDelaySeconds(failures) - now);
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
