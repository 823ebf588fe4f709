// The direct signup (a confirmation link by mail), as POST /api/free_users and the console's
// signup page take it: an UNCONFIRMED account and its link, or, for a taken address, the same
// outcome and a notice to its owner. The caller answers the same either way, held to the floor.
import { randomUUID } from 'node:crypto';
import { checkNotBreached } from '#adapters/pwned-passwords.ts';
import { createUnconfirmedUser, getUserByEmail } from '#data/profiles.ts';
import { isSuspended } from '#domain/account.ts';
import { checkNotDisposable } from '#domain/disposable.ts';
import { EmailTakenError } from '#domain/errors.ts';
import { checkPasswordPolicy } from '#domain/password-policy.ts';
import { hashPassword } from '#domain/passwords.ts';
import type { Origin } from '#domain/request.ts';
import { LINK_TTL_SECONDS, newToken } from '#domain/tokens.ts';
import { sendLimitedMail } from '#email/deliver.ts';
import { publicLink } from '#email/links.ts';
import { config } from '#shared/config.ts';
import { auditItem, auditLog } from './audit.ts';
import { checkIpCeiling } from './ip-ceilings.ts';

export const SIGNUP_MESSAGE =
  'Check your inbox: we sent a link to confirm your email address. It expires in 24 hours. ' +
  'If no mail arrives within a few minutes, request a new link.';

/** `email` is normalized. Throws ValidationError (address or password) and RateLimitedError. */
export async function signUpWithLink(
  email: string,
  password: string,
  now: number,
  origin: Origin,
): Promise<void> {
  checkNotDisposable(email);
  await checkPasswordPolicy(password, email);
  await checkIpCeiling(origin.ip, 'signup', now);
  // After the IP ceiling: nobody gets to drive calls to the breach service through us.
  await checkNotBreached(password, config().breachedPasswordCheck);
  // Hash before knowing whether the address is free, so both answers take as long.
  const passwordHash = await hashPassword(password);
  const confirm = newToken();
  const userId = randomUUID();
  const event = { name: 'signup', userId, ...origin } as const;
  try {
    await createUnconfirmedUser(
      {
        userId,
        email,
        passwordHash,
        createdAt: new Date(now * 1000).toISOString(),
        confirmToken: { hash: confirm.hash, expiresAt: now + LINK_TTL_SECONDS.confirmEmail },
      },
      [auditItem(event, now)],
    );
    auditLog(event);
    await sendLimitedMail('signup-confirm', email, now, [
      'confirmEmailMessage',
      publicLink('confirm-email', confirm.token),
    ]);
  } catch (err) {
    if (!(err instanceof EmailTakenError)) throw err;
    // A suspended account's address hears nothing (the answer is the same either way).
    if (!isSuspended(await getUserByEmail(email)))
      await sendLimitedMail('signup-taken', email, now, ['alreadyRegisteredMessage']);
  }
}
