// TOTP codes (RFC 6238: SHA-1, 6 digits, 30 s) through otpauth. Apart from mfa.ts so that it loads
// only where a code is checked or a setup URI made: the login, password and Google routes import
// the second factor's rules at every cold start, and most of their requests carry no code. Callers
// on those paths import this module when they need it (a chunk of its own, deployed).
import { Secret, TOTP } from 'otpauth';

// Here rather than in mfa.ts, which every cold start of those routes imports: a module both
// import would be one more chunk file a cold start loads.
export const TOTP_ISSUER = 'Gatehouse';
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps of clock skew accepted either way: a phone a little fast or slow still works. */
export const TOTP_WINDOW = 1;

/** The time step (RFC 6238 counter) that `atMs` falls in. */
export const totpStep = (atMs: number): number => Math.floor(atMs / 1000 / TOTP_PERIOD_SECONDS);

const totp = (secret: Uint8Array, email = '') =>
  new TOTP({
    issuer: TOTP_ISSUER,
    label: email,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: new Secret({ buffer: Uint8Array.from(secret).buffer }),
  });

/** The `otpauth://totp/Gatehouse:<email>?...` URI an authenticator app scans as a QR code. */
export const otpauthUrl = (secret: Uint8Array, email: string): string => totp(secret, email).toString();

/** The secret as authenticator apps take it typed by hand: base32, in groups of four. */
export const typedSecret = (secret: Uint8Array): string =>
  (new Secret({ buffer: Uint8Array.from(secret).buffer }).base32.match(/.{1,4}/g) ?? []).join(' ');

/** The code of a step: for tests and the CLI's own checks, never sent by the server. */
export const totpCode = (secret: Uint8Array, step: number): string =>
  totp(secret).generate({ timestamp: step * TOTP_PERIOD_SECONDS * 1000 });

/**
 * The step `code` belongs to, within TOTP_WINDOW steps of `atMs`; undefined when it matches none.
 * The caller must still refuse a step at or before the last one used (each code works once).
 */
export function matchTotp(secret: Uint8Array, code: string, atMs: number): number | undefined {
  const delta = totp(secret).validate({ token: code, timestamp: atMs, window: TOTP_WINDOW });
  return delta === null ? undefined : totpStep(atMs) + delta;
}
