// User-facing sentences shared by more than one endpoint (API and HTML page of the same action).

export const EMAIL_CONFIRMED = 'Your email address is confirmed. You can now log in.';

export const PASSWORD_RESET = 'Your new password is set and every device was signed out. Log in with it.';

export const INVALID_LINK = 'This link is invalid or has already been used. Request a new one.';

export const TOO_MANY_LOGINS =
  'Too many failed logins for this address. Wait before trying again, or reset your password.';

export const TOO_MANY_REAUTHS =
  'Too many wrong passwords or codes sent with this key. Wait before trying again, or log in again for a new key.';

export const CONFIRM_FIRST =
  'Please confirm your email address first: follow the link we mailed you, or request a new one.';

/** To the owner only (the right password or Google): the account is going, or failed to go. */
export const ACCOUNT_DELETING = 'This account is being deleted. It can no longer be used.';

/** A console's Google sign-in that is not (or no longer) there to finish. */
export const CONSOLE_SIGN_IN_GONE =
  'This Google sign-in has expired or was finished already. Sign in again from the console.';

export const SECOND_FACTOR_NEEDED =
  'Multi-factor authentication is on: give the code from your authenticator app, or a recovery code.';

export const SECOND_FACTOR_WRONG =
  'That code is not right or was used already. Wait for the next code from your app, or use a recovery code.';

/** A right key past its expiry; the date is the key's own (UTC). */
export const keyExpired = (expiredAt: number): string =>
  `This API key expired on ${new Date(expiredAt * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC. Create a new one (gatehouse account:api_keys:create) or log in again.`;

export const READ_ONLY_KEY =
  'This API key can only read (scope read): it may send GET requests and nothing else. Use a full key for changes.';

/** A link of a suspended account (reset, change of address): it waits until support lifts it. */
export const LINK_OF_SUSPENDED =
  'This account is suspended: its links cannot be used until support lifts it. Contact support.';

export const ACCOUNT_SUSPENDED =
  'This account is suspended: it cannot be used until support lifts it. Contact support to learn why and what to do. (You can still delete it.)';
