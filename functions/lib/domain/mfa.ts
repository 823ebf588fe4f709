// The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30 s, as every authenticator app expects)
// and single-use recovery codes. Pure: secrets come in and out as bytes; sealing them for storage
// and remembering what was used are other modules' work (services/mfa-secrets.ts, data/mfa.ts).
// Computing codes is totp.ts's, with TOTP's parameters: it holds otpauth, which only a request
// with a code loads (and shares no module with this one, which would be a chunk file of its own).
import { randomBytes } from 'node:crypto';
import { digest } from './tokens.ts';

/** 160 bits, the size RFC 4226 recommends for an HMAC-SHA-1 key. */
export const TOTP_SECRET_BYTES = 20;

export const RECOVERY_CODE_COUNT = 10;
// 80 bits each: stored as SHA-256 digests, which no offline search gets through at that size.
const RECOVERY_CODE_BYTES = 10;
// Crockford's base32: no I, L, O or U, so a code read off paper is typed back right.
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

export const newTotpSecret = (): Uint8Array => new Uint8Array(randomBytes(TOTP_SECRET_BYTES));

/** What a user typed, told apart: a TOTP code, a recovery code, or neither. */
export type SecondFactorInput =
  | { readonly kind: 'totp'; readonly code: string }
  | { readonly kind: 'recovery'; readonly code: string }
  | { readonly kind: 'malformed' };

/** Spaces and dashes are ignored; letters in any case; I and L read as 1, O as 0. */
export function parseSecondFactor(raw: string): SecondFactorInput {
  const compact = raw.replace(/[\s-]/g, '').toLowerCase();
  if (/^\d{6}$/.test(compact)) return { kind: 'totp', code: compact };
  const recovery = compact.replace(/[il]/g, '1').replace(/o/g, '0');
  if (recovery.length === 16 && [...recovery].every((ch) => CROCKFORD.includes(ch))) {
    return { kind: 'recovery', code: recovery };
  }
  return { kind: 'malformed' };
}

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Ten fresh codes as shown to the user: `xxxx-xxxx-xxxx-xxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    base32(randomBytes(RECOVERY_CODE_BYTES)).replace(/(.{4})(?=.)/g, '$1-'),
  );
}

/**
 * What is stored of a recovery code. Salted with the account id, so one digest table does not
 * serve every account; the code's 80 bits make a slow hash unnecessary.
 */
export const recoveryCodeDigest = (userId: string, code: string): string => {
  const parsed = parseSecondFactor(code);
  const normalized = parsed.kind === 'recovery' ? parsed.code : code;
  return digest(`${userId}:${normalized}`);
};
