// The standing password rules: 12 to 256 code points, no composition rules; refused when common,
// or built from the address or the product name. (The breached-password check is separate:
// it asks a service, adapters/pwned-passwords.ts.)
import { ValidationError } from './errors.ts';
import { listSet } from './lists.ts';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';

export const MIN_PASSWORD_LENGTH = 12;
const PRODUCT_NAME = 'gatehouse';

/**
 * One of the 49,233 most common passwords (zxcvbn-ts's list, lower case; lists.ts), in any letter
 * case. The list is read on the first password set in a container (a few ms), not at cold start.
 */
export async function isCommonPassword(password: string): Promise<boolean> {
  return listSet('commonPasswords').has(password.toLowerCase());
}

/** Throws a ValidationError under `field` with the reason, or returns when the password may be used. */
export async function checkPasswordPolicy(
  password: string,
  email: string,
  field = 'password',
): Promise<void> {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new ValidationError(field, `should be at least ${MIN_PASSWORD_LENGTH} character(s)`);
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new ValidationError(field, `should be at most ${MAX_PASSWORD_LENGTH} character(s)`);
  }
  const lower = password.toLowerCase();
  const local = email.split('@')[0] ?? '';
  if (local.length >= 3 && lower.includes(local)) {
    throw new ValidationError(field, 'must not contain your email address');
  }
  if (lower.includes(PRODUCT_NAME)) throw new ValidationError(field, 'must not contain the product name');
  if (await isCommonPassword(password)) {
    throw new ValidationError(field, 'is one of the most common passwords; choose another');
  }
}
