// The staged signup of the CLI: email → 6-digit code by mail → password → optional promo → tier.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export type SignupStep = 'code' | 'password' | 'tier';

/** A signup session lives an hour; its code half of that; 5 wrong codes end it. */
export const SIGNUP_SESSION_SECONDS = 3600;
export const CODE_SECONDS = 1800;
export const MAX_WRONG_CODES = 5;

export const newConfirmationCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * Codes are stored as a digest bound to their session. Six digits hash no better than they guess:
 * the protection is the 30-minute life and the 5 tries, not the digest.
 */
export const codeDigest = (uuid: string, code: string): string =>
  createHash('sha256').update(`${uuid}:${code}`).digest('hex');

export function codeMatches(uuid: string, code: string, storedDigest: string): boolean {
  const a = Buffer.from(codeDigest(uuid, code), 'hex');
  const b = Buffer.from(storedDigest, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export const isCodeShaped = (code: string): boolean => /^\d{6}$/.test(code);

/** The request field each step waits for. */
export const STEP_FIELD: Record<SignupStep, string> = {
  code: 'confirmation_code',
  password: 'password',
  tier: 'tier',
};

export const nextStepMessage = (step: SignupStep): string =>
  `This signup expects ${STEP_FIELD[step]} next${step === 'tier' ? ' (or promo_code)' : ''}`;

export { TIERS } from './tiers.ts';

/** Promo codes are compared in upper case: `welcome10` and `WELCOME10` are one code. */
export function normalizePromoCode(raw: string): string | undefined {
  const code = raw.trim().toUpperCase();
  return /^[A-Z0-9_-]{3,32}$/.test(code) ? code : undefined;
}
