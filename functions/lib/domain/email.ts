import { ValidationError } from './errors.ts';

/** RFC 5321 limits: 254 for a usable address, 64 for its local part. */
export const MAX_EMAIL_LENGTH = 254;

// Deliberately plain: one @, a dot-atom local part of printable ASCII (RFC 5322 atext: no
// controls, no invisible or look-alike Unicode, nothing SES cannot deliver to), a domain of
// dot-separated labels with a TLD. Whether the address exists is proven by the confirmation mail.
const LOCAL = /^(?=.{1,64}$)[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Addresses are compared after trimming and lower-casing the whole address (the contract). */
export function normalizeEmail(input: string, field = 'email'): string {
  const email = input.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const valid =
    at > 0 &&
    email.length <= MAX_EMAIL_LENGTH &&
    LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label)) &&
    /^[a-z]{2,63}$/.test(labels.at(-1) ?? '');
  if (!valid) throw new ValidationError(field, 'is not a valid email address');
  return email;
}
