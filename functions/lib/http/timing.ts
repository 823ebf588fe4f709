// A floor on response time for the routes whose work differs between known and unknown
// addresses (a token written, a mail sent, or not): both answer no sooner than the floor, so
// their timing tells nothing. The floor sits above the real work's usual cost, so it rarely
// moves; it costs a few hundred milliseconds of Lambda time on rare requests.
import { createMiddleware } from 'hono/factory';
import { sleep } from '#shared/sleep.ts';

/** Signup and resend: password hash (signup), a transaction and an SES call, with room to spare. */
export const ENUMERATION_FLOOR_MS = 300;

/** Runs `work`, then waits out the rest of `ms`, whether it succeeded or threw. */
export async function withFloor<T>(work: () => Promise<T>, ms = ENUMERATION_FLOOR_MS): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    const rest = ms - (performance.now() - start);
    if (rest > 0) await sleep(rest);
  }
}

/** Middleware: the response leaves no sooner than `ms` after this point, success or error. */
export const responseFloor = (ms = ENUMERATION_FLOOR_MS) =>
  createMiddleware((_c, next) => withFloor(next, ms));

/**
 * Middleware: an error response leaves no sooner than `ms` after this point; a success is not held.
 * For login, where a known address with a wrong password does work an unknown one does not (its
 * failure recorded under the account): the right password needs no cover, a wrong one does.
 */
export const failureFloor = (ms = ENUMERATION_FLOOR_MS) =>
  createMiddleware(async (c, next) => {
    const start = performance.now();
    await next();
    const rest = ms - (performance.now() - start);
    if (c.res.status >= 400 && rest > 0) await sleep(rest);
  });
