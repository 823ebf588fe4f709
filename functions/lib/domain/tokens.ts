// Secrets handed to users (link tokens, API keys): 256 bits from the CSPRNG, base64url. Only their
// SHA-256 digest is stored, so a leaked table does not hand out working links or keys. Lookups go
// by digest, so no stored secret is ever compared byte by byte against user input.
import { createHash, randomBytes } from 'node:crypto';

export const SECRET_BYTES = 32;

export const newSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url');

export const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** The shape of every secret newSecret() makes: checked before any lookup or write. */
export const looksLikeToken = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

/** A fresh secret and its digest. */
export function newToken(): { token: string; hash: string } {
  const token = newSecret();
  return { token, hash: digest(token) };
}

/** Link lifetimes (standing security rules). */
export const LINK_TTL_SECONDS = {
  confirmEmail: 24 * 3600,
  resetPassword: 3600,
  emailChange: 24 * 3600,
  emailRevoke: 7 * 24 * 3600,
} as const;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
