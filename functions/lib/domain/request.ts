// What a service knows of the request that called it, besides its input: where it came from, and
// its one reading of the clock (http/request.ts reads it once per request).

/** The source of a request: its IP as the edge saw it and its user agent (first 256 characters). */
export interface Origin {
  readonly ip: string;
  readonly userAgent?: string;
}

/**
 * A request's one reading of the clock: `now` in whole seconds, which every rule compares, and
 * `at`, the same reading to the millisecond (ISO 8601), which stamps records whose order matters
 * (the oldest of an account's keys goes past 50; whole seconds would tie).
 */
export interface RequestTime {
  readonly now: number;
  readonly at: string;
}

export const requestTimeOf = (ms: number): RequestTime => ({
  now: Math.floor(ms / 1000),
  at: new Date(ms).toISOString(),
});
